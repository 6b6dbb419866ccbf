import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AdminStatsDto, HealthDto, ModelListDto, TrainingJobDto } from '@encore/api-contract';
import { ApiError } from '../../../api/client';
import { formatCount } from '../../../ui/format';
import { Icon } from '../../../ui/icons';
import { QueryState } from '../../../ui/query-state';
import { healthQueries } from '../../health/api/health-queries';
import { useHealth } from '../../health/api/use-health';
import { ADMIN_POLL_MS, adminQueries } from '../api/admin-queries';
import { modelQueries } from '../api/model-queries';
import { useAdminStats, useServiceMetrics } from '../api/use-admin';
import { useActivateModel, useModelVersions, useStartTraining, useTrainingJob } from '../api/use-models';
import { ModelMetricsChart } from '../components/model-metrics-chart';
import type { ServiceMetrics } from '../service-metrics';
import '../admin.css';

export function formatLatency(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 0.001) return '< 1 ms';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(2)} s`;
}

export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min`;
}

const percent = (ratio: number | null) => (ratio === null ? '—' : `${(ratio * 100).toFixed(ratio >= 0.995 ? 0 : 1)}%`);

/** Health names the recommender as "<provider> <model version> …"; the metrics gauge is preferred when present. */
function servingModel(health: HealthDto, metrics: ServiceMetrics | undefined) {
  if (metrics?.model) return metrics.model;
  const [provider, version] = (health.checks['recommender']?.detail ?? '').split(' ');
  return provider ? { provider, version: version ?? '' } : null;
}

export function AdminPage() {
  const queryClient = useQueryClient();
  const health = useHealth();
  const metrics = useServiceMetrics();
  const stats = useAdminStats();
  const models = useModelVersions();

  useEffect(() => {
    document.title = 'Admin · Encore';
    return () => {
      document.title = 'Encore';
    };
  }, []);

  const refreshing = health.isFetching || metrics.isFetching || stats.isFetching;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: adminQueries.all() });
    void queryClient.invalidateQueries({ queryKey: healthQueries.all() });
    void queryClient.invalidateQueries({ queryKey: modelQueries.all() });
  };

  return (
    <section className="page" aria-labelledby="admin-title">
      <header className="page-head admin-head">
        <div>
          <h1 id="admin-title">Service</h1>
          <p className="muted">
            Live from <code>/health</code> and <code>/metrics</code>, refreshed every {ADMIN_POLL_MS / 1000} s.
          </p>
        </div>
        <button type="button" className="button" onClick={refresh} disabled={refreshing}>
          <Icon name="refresh" />
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>

      <div className="admin-grid">
        <section className="card" aria-labelledby="service-title">
          <h2 id="service-title">Recommender</h2>
          <QueryState query={health} label="service health" compact>
            {(data) => <ServicePanel health={data} metrics={metrics.data} />}
          </QueryState>
        </section>

        <section className="card" aria-labelledby="traffic-title">
          <h2 id="traffic-title">Traffic</h2>
          <QueryState query={metrics} label="metrics" compact>
            {(data) => <TrafficPanel metrics={data} stats={stats.data} />}
          </QueryState>
        </section>

        {models.isSuccess ? (
          <section className="card admin-grid__wide" aria-labelledby="models-title">
            <ModelsPanel list={models.data} />
          </section>
        ) : null}
        {models.isError && !(models.error instanceof ApiError && models.error.status === 404) ? (
          <div className="admin-grid__wide">
            <QueryState query={models} label="model versions" compact>
              {() => null}
            </QueryState>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function CheckValue({ check }: { check: HealthDto['checks'][string] | undefined }) {
  if (!check) return <span className="muted">not reported</span>;
  return (
    <span className={`check check--${check.status}`}>
      <span className="check__dot" aria-hidden="true" />
      {check.status === 'up' ? 'Up' : 'Down'}
      {check.detail ? <span className="muted"> · {check.detail}</span> : null}
    </span>
  );
}

function ServicePanel({ health, metrics }: { health: HealthDto; metrics: ServiceMetrics | undefined }) {
  const model = servingModel(health, metrics);
  return (
    <dl className="service-list">
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`status-pill status-pill--${health.status}`}>{health.status}</span>
        </dd>
      </div>
      <div>
        <dt>Provider</dt>
        <dd>{model?.provider ?? <span className="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Model version</dt>
        <dd>{model?.version ? <code className="model-version">{model.version}</code> : '—'}</dd>
      </div>
      <div>
        <dt>Cache</dt>
        <dd>
          <CheckValue check={health.checks['cache']} />
        </dd>
      </div>
      <div>
        <dt>Store</dt>
        <dd>
          <CheckValue check={health.checks['store']} />
        </dd>
      </div>
      <div>
        <dt>Catalog</dt>
        <dd>
          {formatCount(health.catalog.songs)} songs · {formatCount(health.catalog.genres)} genres
        </dd>
      </div>
      <div>
        <dt>Uptime</dt>
        <dd>{formatUptime(health.uptimeSeconds)}</dd>
      </div>
    </dl>
  );
}

function TrafficPanel({ metrics, stats }: { metrics: ServiceMetrics; stats: AdminStatsDto | undefined }) {
  const tiles = [
    { label: 'Requests', value: formatCount(metrics.requests), note: 'excluding /health and /metrics' },
    { label: 'Server errors', value: formatCount(metrics.serverErrors), note: '5xx answers' },
    { label: 'Latency p50', value: formatLatency(metrics.latency.p50), note: 'from histogram buckets' },
    { label: 'Latency p99', value: formatLatency(metrics.latency.p99), note: 'from histogram buckets' },
    {
      label: 'Cache hit rate',
      value: percent(metrics.cache.hitRate),
      note: `${formatCount(metrics.cache.hits)} hits · ${formatCount(metrics.cache.misses)} misses`,
    },
  ];
  if (stats) {
    tiles.push({
      label: 'Interactions',
      value: formatCount(stats.interactions),
      note:
        stats.cache.size === undefined
          ? `stored · ${stats.cache.backend} cache`
          : `stored · ${stats.cache.backend} cache of ${formatCount(stats.cache.size)}`,
    });
  }
  return (
    <dl className="stat-tiles">
      {tiles.map((tile) => (
        <div key={tile.label} className="stat-tile">
          <dt>{tile.label}</dt>
          <dd>
            <span className="stat-tile__value">{tile.value}</span>
            <span className="stat-tile__note">{tile.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Held-out metrics shown per version (the manifest has more; these are the ones to compare versions by). */
const MODEL_METRICS = [
  { key: 'ndcg@10', label: 'nDCG@10' },
  { key: 'precision@10', label: 'Precision@10' },
  { key: 'recall@10', label: 'Recall@10' },
  { key: 'coverage@10', label: 'Coverage@10' },
] as const;

const trainedAt = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** What a failed call says to the admin: the API's own message, or a plain one for the expected conflicts. */
function mutationMessage(error: Error): string {
  if (error instanceof ApiError && error.status === 409) {
    return `A training job is already running; wait for it to finish. (${error.message})`;
  }
  return error.message;
}

function ModelsPanel({ list }: { list: ModelListDto }) {
  const training = useStartTraining();
  const [jobId, setJobId] = useState<string>();
  const job = useTrainingJob(jobId);
  const running = job.data ? job.data.status === 'queued' || job.data.status === 'running' : Boolean(jobId);

  const train = () => {
    training.mutate({}, { onSuccess: (accepted) => setJobId(accepted.jobId) });
  };

  return (
    <>
      <div className="models-head">
        <h2 id="models-title">Model versions</h2>
        <button type="button" className="button" onClick={train} disabled={training.isPending || running}>
          {training.isPending ? 'Starting…' : 'Train new model'}
        </button>
      </div>
      {training.isError ? (
        <p role="alert" className="models-error">
          {mutationMessage(training.error)}
        </p>
      ) : null}
      {job.data ? <JobProgress job={job.data} /> : null}
      {job.isError ? (
        <p role="alert" className="models-error">
          Couldn’t follow the training job: {job.error.message}
        </p>
      ) : null}
      {list.items.length > 0 ? <ModelMetricsChart models={list.items} /> : null}
      <ModelVersions list={list} />
    </>
  );
}

function JobProgress({ job }: { job: TrainingJobDto }) {
  const percentDone = Math.round(job.progress * 100);
  return (
    <section className={`job job--${job.status}`} aria-label="Training job">
      <p className="job__line">
        <span className={`status-pill job__status job__status--${job.status}`}>{job.status}</span>
        <span>{job.status === 'succeeded' && job.version ? `published ${job.version}` : job.step}</span>
      </p>
      <progress className="job__bar" max={100} value={percentDone} aria-label="Training progress">
        {percentDone}%
      </progress>
      {job.status === 'failed' ? (
        <p role="alert" className="models-error">
          Training failed: {job.error ?? 'no reason given'}
        </p>
      ) : null}
    </section>
  );
}

function ModelVersions({ list }: { list: ModelListDto }) {
  const activation = useActivateModel();
  if (list.items.length === 0) return <p className="muted">No saved model versions.</p>;
  return (
    <>
      {activation.isError ? (
        <p role="alert" className="models-error">
          Couldn’t activate {activation.variables}: {mutationMessage(activation.error)}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="model-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Trained</th>
              {MODEL_METRICS.map((m) => (
                <th key={m.key} scope="col" className="num">
                  {m.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((model) => (
              <tr key={model.version}>
                <th scope="row">
                  <code className="model-version">{model.version}</code>
                  {model.active ? <span className="tag">active</span> : null}
                  {list.served?.version === model.version ? <span className="tag tag--match">serving</span> : null}
                </th>
                <td>{trainedAt.format(new Date(model.createdAt))}</td>
                {MODEL_METRICS.map((m) => {
                  const value = model.metrics[m.key];
                  return (
                    <td key={m.key} className="num">
                      {value === undefined ? '—' : value.toFixed(3)}
                    </td>
                  );
                })}
                <td>
                  {model.active ? null : (
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={`Activate ${model.version}`}
                      disabled={activation.isPending}
                      onClick={() => activation.mutate(model.version)}
                    >
                      {activation.isPending && activation.variables === model.version ? 'Activating…' : 'Activate'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
