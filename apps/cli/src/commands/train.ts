import { evaluateRecommender, METRIC_NAMES, type EvaluationResult } from '@encore/evaluation';
import type { FitReport } from '@encore/features';
import { fingerprintInteractions } from '@encore/model-artifact';
import type { Command } from '../command';
import { DATASET_OPTIONS, loadDataset, SEED_OPTION } from '../data/dataset';
import { relevanceFor } from '../data/interaction-rows';
import { artifactStoreArg, S3_ARG_HELP } from '../models/artifact-store-arg';
import { count, fixed, formatTable, seconds } from '../format-table';
import {
  assertModelName,
  buildModel,
  matrixFor,
  MODEL_NAMES,
  parseParamList,
  resolveParams,
  type ModelEnv,
  type ModelSpec,
} from '../models/model-factory';
import { METRIC_LABELS, PARAM_OPTION, readSplitSpec, SPLIT_OPTIONS, splitRows, type SplitSpec } from './evaluate';

/** What `train` records about the data in the artifact's meta, so `recommend --artifact` can find names again. */
export interface TrainingMeta {
  dataset: string;
  format: string;
  source: string;
  catalog: string | null;
  interactions: number;
}

/** The JSON result of `train --json`. */
export interface TrainResult {
  store: string;
  version: string;
  active: boolean;
  model: ModelSpec;
  dataset: ReturnType<Awaited<ReturnType<typeof loadDataset>>['summary']>;
  fit: FitReport;
  evaluation: { split: SplitSpec; k: number; metrics: EvaluationResult } | null;
  fingerprint: string;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'fit a model on a dataset and publish it as a new version of a model directory or S3 prefix',
  usage:
    'train --out DIR|s3://BUCKET/PREFIX [--dataset NAME | --interactions FILE] [--model NAME] [--param k=v …] [--evaluate] [--activate] [--json]',
  positionals: [],
  options: [
    ...DATASET_OPTIONS,
    SEED_OPTION,
    {
      name: 'model',
      type: 'string',
      valueName: 'NAME',
      description: `${MODEL_NAMES.join(' | ')} (default: the best known for the data)`,
    },
    PARAM_OPTION,
    {
      name: 'out',
      type: 'string',
      valueName: 'DIR',
      description: `model directory (created if absent), or ${S3_ARG_HELP}`,
    },
    { name: 'version', type: 'string', valueName: 'NAME', description: 'version name (default: time-based)' },
    { name: 'activate', type: 'boolean', description: 'make the new version the active one' },
    {
      name: 'evaluate',
      type: 'boolean',
      description:
        'first fit on a held-out split and record its metrics in the manifest (the published model uses all rows)',
    },
    ...SPLIT_OPTIONS,
  ],
  async run(args, ctx) {
    const target = artifactStoreArg(args.requiredString('out', 'DIR'), 'out', ctx);
    const modelArg = args.string('model');
    const params = parseParamList(args.strings('param'));
    const split = args.flag('evaluate') ? readSplitSpec(args) : null;
    const k = args.number('k') ?? 10;
    const dataset = await loadDataset(args, ctx);
    const env: ModelEnv = { itemFeatures: () => dataset.itemFeatures(), format: dataset.format };
    const name = modelArg ? assertModelName(modelArg) : 'best';
    const spec: ModelSpec = { name, params: resolveParams(name, params, env) };
    const matrix = matrixFor(name, dataset.rows, env);
    const steps = split ? 3 : 2;
    const progress = ctx.progress(`train ${spec.name}`, steps);
    let evaluation: TrainResult['evaluation'] = null;
    let fit: FitReport;
    let version: string;
    try {
      if (split) {
        const { train, test } = splitRows(dataset.rows, split);
        const heldOut = buildModel(spec, env);
        const trainMatrix = matrixFor(name, train, env);
        heldOut.fit(trainMatrix);
        const metrics = evaluateRecommender(heldOut, trainMatrix, test, { k, relevance: relevanceFor(dataset.rows) });
        evaluation = { split, k, metrics };
        progress.tick();
      }
      const model = buildModel(spec, env);
      fit = model.fit(matrix);
      progress.tick();
      const state = model.toArtifact();
      const training: TrainingMeta = {
        dataset: dataset.name,
        format: dataset.format,
        source: dataset.source,
        catalog: dataset.catalogFile,
        interactions: dataset.rows.length,
      };
      const fingerprint = fingerprintInteractions(dataset.rows);
      const metrics = evaluation
        ? Object.fromEntries(
            METRIC_NAMES.map((m) => [`${m}@${k}`, (evaluation as { metrics: EvaluationResult }).metrics[m]]),
          )
        : undefined;
      const { store } = target;
      ({ version } = await store.publish(
        { ...state, meta: { ...state.meta, training } },
        { version: args.string('version'), metrics, trainingFingerprint: fingerprint },
      ));
      if (args.flag('activate')) await store.activate(version);
      progress.tick();
      const result: TrainResult = {
        store: target.url,
        version,
        active: args.flag('activate'),
        model: spec,
        dataset: dataset.summary(),
        fit,
        evaluation,
        fingerprint,
      };
      progress.finish();
      ctx.print(formatTraining(result));
      return result;
    } finally {
      progress.finish();
    }
  },
};

export function formatTraining(r: TrainResult): string {
  const params = Object.entries(r.model.params)
    .map(([key, v]) => `${key}=${v}`)
    .join(' ');
  const lines = [
    `Trained ${r.model.name}${params ? ` (${params})` : ''} on ${r.dataset.name}: ${count(r.fit.users)} users × ${count(r.fit.items)} items, ` +
      `${count(r.fit.nnz)} entries in ${seconds(r.fit.elapsedMs)} s`,
    `Published version ${r.version} to ${r.store}${r.active ? ' (active)' : ''}`,
  ];
  if (r.evaluation) {
    const e = r.evaluation;
    lines.push(
      '',
      `Held-out check (${e.split.kind} split${e.split.kind === 'leave-last-out' ? '' : ` ${e.split.ratio}`}, ${count(e.metrics.users)} users):`,
      formatTable(
        METRIC_NAMES.map((m) => `${METRIC_LABELS[m]}@${e.k}`),
        [METRIC_NAMES.map((m) => fixed(e.metrics[m], m === 'novelty' ? 2 : 4))],
        METRIC_NAMES.map((_, i) => i),
      ),
    );
  }
  return lines.join('\n');
}
