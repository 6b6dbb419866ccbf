import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { TrainingJobDto, TrainModelParams, TrainModelRequest } from '@encore/api-contract';
import { ArtifactStore } from '@encore/artifact-store';
import { InteractionStore } from '@encore/interaction-store';
import { EngineRecommenderProvider, type EngineModelOptions } from '@encore/provider-engine';
import { randomUUID } from 'node:crypto';
import { CatalogService } from '../catalog/catalog.service';
import { ModelsService } from './models.service';
import { TrainingRunner } from './training-runner';
import { catalogColumns, InteractionColumnsBuilder, type TrainingInput } from './training-task';

/** Finished jobs kept for GET /v1/jobs/:id; older ones are forgotten. */
export const JOBS_KEPT = 50;

/**
 * Training jobs: one at a time per replica (a second request while one is queued or running is a
 * 409). A job reads the whole interaction log here, trains, evaluates and publishes in the
 * TrainingRunner (a worker thread), and activates the new version only when asked. A failure at
 * any step marks the job failed; the served model only ever changes through activation.
 */
@Injectable()
export class TrainingJobs implements OnApplicationShutdown {
  private readonly logger = new Logger('TrainingJobs');
  private readonly jobs = new Map<string, TrainingJobDto>();
  private current: TrainingJobDto | null = null;

  constructor(
    private readonly catalogs: CatalogService,
    @Inject(InteractionStore) private readonly store: InteractionStore,
    private readonly engine: EngineRecommenderProvider,
    private readonly models: ModelsService,
    @Inject(TrainingRunner) private readonly runner: TrainingRunner,
    @Inject(ArtifactStore) private readonly artifacts: ArtifactStore,
  ) {}

  /** Queues a job and returns it at once; its progress is read with get(). */
  start(request: TrainModelRequest): TrainingJobDto {
    if (this.current) {
      throw new ConflictException(
        `training job ${this.current.id} is ${this.current.status}; one job runs at a time (GET /v1/jobs/${this.current.id})`,
      );
    }
    const job: TrainingJobDto = {
      id: randomUUID(),
      kind: 'train',
      status: 'queued',
      progress: 0,
      step: 'queued',
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      request,
    };
    this.jobs.set(job.id, job);
    this.current = job;
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= JOBS_KEPT) break;
      this.jobs.delete(id);
    }
    void this.execute(job, request);
    return { ...job };
  }

  get(id: string): TrainingJobDto {
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundException(`job ${id} not found`);
    return { ...job };
  }

  /** Newest first. */
  list(): TrainingJobDto[] {
    return [...this.jobs.values()].reverse().map((job) => ({ ...job }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  private async execute(job: TrainingJobDto, request: TrainModelRequest): Promise<void> {
    // Let the 202 go out before the log is read.
    await new Promise((resolve) => setImmediate(resolve));
    const step = (progress: number, what: string) => {
      job.progress = Math.max(job.progress, Math.min(1, progress));
      job.step = what;
    };
    try {
      job.status = 'running';
      job.startedAt = new Date().toISOString();
      step(0, 'reading the interaction log');
      // Live feedback recorded up to here is in the log the job reads; the rest stays live after activation.
      const feedbackSequence = this.engine.feedbackSequence;
      const input = await this.input(request);
      step(0.02, 'starting the training worker');
      const output = await this.runner.run(input, step);
      job.version = output.version;
      job.metrics = output.metrics;
      this.models.rememberTraining(output.version, feedbackSequence);
      job.activated = false;
      if (request.activate) {
        step(0.98, 'activating the new version');
        await this.models.activate(output.version);
        job.activated = true;
      }
      job.status = 'succeeded';
      step(1, 'done');
      this.logger.log(
        `job ${job.id}: ${output.reused ? 'found' : 'published'} model ${output.version}` +
          ` (${output.report.events} events, ${output.report.users} listeners)${job.activated ? ', activated' : ''}`,
      );
    } catch (error) {
      job.status = 'failed';
      job.error = (error as Error).message ?? String(error);
      job.step = 'failed';
      this.logger.error(`job ${job.id} failed: ${job.error}`);
    } finally {
      job.finishedAt = new Date().toISOString();
      if (this.current === job) this.current = null;
    }
  }

  private async input(request: TrainModelRequest): Promise<TrainingInput> {
    const catalog = this.catalogs.catalog;
    const builder = new InteractionColumnsBuilder(catalog);
    let cursor: string | null = null;
    for await (const batch of this.store.allInteractions()) {
      for (const { userId, songId, event, timestamp } of batch.items) builder.add({ userId, songId, event, timestamp });
      cursor = batch.cursor;
    }
    const settings = this.engine.trainingSettings;
    return {
      catalog: catalogColumns(catalog),
      interactions: builder.build(),
      trainedThrough: { cursor },
      eventWeights: settings.eventWeights,
      options: withParams(settings.model, request.params),
      strategy: request.strategy ?? 'hybrid',
      artifacts: this.artifacts.location,
    };
  }
}

/** The server's model options with the request's overrides on top, one level deep. */
export function withParams(
  base: Partial<EngineModelOptions>,
  params: TrainModelParams = {},
): Partial<EngineModelOptions> {
  const out: Partial<EngineModelOptions> = { ...base };
  if (params.weights) out.weights = { ...base.weights, ...given(params.weights) } as EngineModelOptions['weights'];
  if (params.als) out.als = { ...base.als, ...given(params.als) };
  if (params.itemKnn) out.itemKnn = { ...base.itemKnn, ...given(params.itemKnn) };
  if (params.candidates !== undefined) out.candidates = params.candidates;
  return out;
}

/** The fields a request actually set: validated bodies are class instances whose absent fields exist as undefined. */
function given<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
