import { basename, resolve } from 'node:path';
import type { Interaction } from '@encore/datasets';
import {
  chronologicalSplit,
  crossValidate,
  evaluateRecommender,
  gridSearch,
  leaveLastOutSplit,
  METRIC_NAMES,
  randomSearch,
  stratifiedSplit,
  type EvaluationResult,
  type MetricName,
  type MetricValues,
  type NumericRange,
  type TrainTestSplit,
} from '@encore/evaluation';
import type { FitReport } from '@encore/features';
import { type OptionSpec, type ParsedArgs, UsageError } from '../args';
import type { Command, CommandContext } from '../command';
import { buildMatrix, relevanceFor } from '../data/interaction-rows';
import { DATASET_OPTIONS, Dataset, loadDataset, SEED_OPTION } from '../data/dataset';
import { parseColumnMapping, readInteractionsFile } from '../data/interactions-file';
import { count, fixed, formatTable, seconds } from '../format-table';
import {
  assertModelName,
  bestKnownFor,
  buildModel,
  EASE_DEFAULT_MAX_ITEMS,
  matrixFor,
  MODEL_NAMES,
  parseParamList,
  resolveParams,
  type ModelEnv,
  type ModelName,
  type ModelParams,
  type ParamValue,
} from '../models/model-factory';

export const SPLITS = ['stratified', 'chronological', 'leave-last-out'] as const;
export type SplitKind = (typeof SPLITS)[number];

/** Options train shares with evaluate for its held-out check. */
export const SPLIT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'split',
    type: 'string',
    valueName: 'KIND',
    description: `${SPLITS.join(' | ')}: per-user held-out rows (default stratified)`,
  },
  {
    name: 'ratio',
    type: 'number',
    valueName: 'R',
    description: 'share of each user’s rows used for training (default 0.8)',
  },
  {
    name: 'k',
    type: 'integer',
    min: 1,
    valueName: 'K',
    description: 'list length the metrics are taken at (default 10)',
  },
];

export const PARAM_OPTION: OptionSpec = {
  name: 'param',
  type: 'string',
  repeatable: true,
  valueName: 'NAME=VALUE',
  description: 'model parameter, e.g. --param factors=32 --param regularization=10 (or comma-separated)',
};

export interface SplitSpec {
  kind: SplitKind;
  ratio: number;
  seed: number;
}

export function readSplitSpec(args: ParsedArgs): SplitSpec {
  const kind = (args.string('split') ?? 'stratified') as SplitKind;
  if (!SPLITS.includes(kind))
    throw new UsageError(`--split ${JSON.stringify(kind)} is not one of ${SPLITS.join(', ')}`);
  const ratio = args.number('ratio') ?? 0.8;
  if (!(ratio > 0 && ratio < 1)) throw new UsageError(`--ratio must be strictly between 0 and 1, got ${ratio}`);
  if (kind === 'leave-last-out' && args.has('ratio'))
    throw new UsageError('--ratio does not apply to --split leave-last-out');
  return { kind, ratio, seed: args.number('seed') ?? 42 };
}

export function splitRows(rows: readonly Interaction[], spec: SplitSpec): TrainTestSplit {
  if (spec.kind === 'stratified') return stratifiedSplit(rows, { ratio: spec.ratio, seed: spec.seed });
  try {
    return spec.kind === 'chronological' ? chronologicalSplit(rows, { ratio: spec.ratio }) : leaveLastOutSplit(rows);
  } catch (error) {
    throw new UsageError(`--split ${spec.kind}: ${(error as Error).message}`);
  }
}

/** Metric values rounded for output (6 significant decimals are plenty and keep JSON readable). */
function rounded<T extends object>(m: T): T {
  return Object.fromEntries(
    Object.entries(m).map(([k, v]) => [
      k,
      typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v,
    ]),
  ) as T;
}

export interface SearchTrialResult {
  params: ModelParams;
  metrics: EvaluationResult;
  fitMs: number;
  elapsedMs: number;
}

export interface ModelEvaluation {
  model: ModelName;
  /** `best` only: the @encore/model-presets model it stands for on this data (e.g. best-movielens). */
  preset?: string;
  params: ModelParams;
  metrics: EvaluationResult;
  /** Cross-validation only: standard deviation over folds. */
  std?: MetricValues;
  folds?: (EvaluationResult & { fold: number; fitMs: number })[];
  fitMs: number;
  evalMs: number;
  fit?: FitReport;
  search?: { kind: 'grid' | 'random'; metric: MetricName; trials: SearchTrialResult[]; best: ModelParams };
}

/** The JSON result of `evaluate --json`. */
export interface EvaluateResult {
  dataset: ReturnType<Dataset['summary']>;
  protocol:
    | { kind: 'split'; split: SplitSpec; train: number; test: number }
    | { kind: 'files'; train: string; test: string }
    | { kind: 'cross-validation'; folds: number; seed: number };
  k: number;
  results: ModelEvaluation[];
  skipped: { model: ModelName; reason: string }[];
}

type SearchSpace = Record<string, ParamValue[] | NumericRange>;

const RANGE = /^(-?\d*\.?\d+(?:e[+-]?\d+)?)\.\.(-?\d*\.?\d+(?:e[+-]?\d+)?)((?::(?:log|int))*)$/i;

/**
 * `factors=32,64;regularization=10,30` → lists of values; for random search also ranges
 * `regularization=1..100:log`, `factors=16..128:int`. Values are typed against the model.
 */
export function parseSearchSpace(spec: string, kind: 'grid' | 'random', model: ModelName, env: ModelEnv): SearchSpace {
  const space: SearchSpace = {};
  for (const part of spec
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--space ${JSON.stringify(part)}: expected NAME=V1,V2 or NAME=MIN..MAX`);
    const name = part.slice(0, eq).trim();
    const values = part.slice(eq + 1).trim();
    const range = RANGE.exec(values);
    if (range) {
      if (kind === 'grid')
        throw new UsageError(`--space ${name}: ranges (MIN..MAX) need --search random; list values for a grid`);
      if (typeof resolveParams(model, { [name]: range[1] }, env)[name] !== 'number')
        throw new UsageError(`--space ${name}: a range needs a numeric parameter`);
      space[name] = {
        min: Number(range[1]),
        max: Number(range[2]),
        scale: range[3].includes(':log') ? 'log' : 'linear',
        integer: range[3].includes(':int'),
      };
    } else {
      const list = values.split(',').map((v) => v.trim());
      if (list.some((v) => v === '')) throw new UsageError(`--space ${name}: empty value in ${JSON.stringify(values)}`);
      space[name] = list.map((v) => resolveParams(model, { [name]: v }, env)[name]);
    }
  }
  if (Object.keys(space).length === 0) throw new UsageError('--space is empty');
  return space;
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'offline evaluation: precision, recall, nDCG, MAP, hit rate, coverage and novelty @K per model',
  usage:
    'evaluate [--dataset NAME | --interactions FILE | --train FILE --test FILE] [--model NAME|all] [--param k=v …] ' +
    '[--split KIND] [--ratio R] [--seed S] [--k K] [--folds N] [--search grid|random --space SPEC [--trials N]] [--json]',
  positionals: [],
  options: [
    ...DATASET_OPTIONS,
    SEED_OPTION,
    { name: 'train', type: 'string', valueName: 'FILE', description: 'explicit training interactions (with --test)' },
    { name: 'test', type: 'string', valueName: 'FILE', description: 'explicit held-out interactions (with --train)' },
    {
      name: 'model',
      type: 'string',
      valueName: 'NAME',
      description: `${MODEL_NAMES.join(' | ')} | all (default all)`,
    },
    PARAM_OPTION,
    ...SPLIT_OPTIONS,
    {
      name: 'folds',
      type: 'integer',
      min: 2,
      valueName: 'N',
      description: 'N-fold cross-validation instead of one split',
    },
    {
      name: 'search',
      type: 'string',
      valueName: 'grid|random',
      description: 'parameter search for one model (needs --space)',
    },
    {
      name: 'space',
      type: 'string',
      valueName: 'SPEC',
      description: "search space, e.g. 'factors=32,64;regularization=10,30' (random also: 'alpha=1..20:log')",
    },
    {
      name: 'trials',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'random search: configurations to try (default 10)',
    },
    {
      name: 'metric',
      type: 'string',
      valueName: 'NAME',
      description: `search target: ${METRIC_NAMES.join(' | ')} (default ndcg)`,
    },
  ],
  async run(args, ctx) {
    const k = args.number('k') ?? 10;
    const folds = args.number('folds');
    const search = args.string('search');
    const modelArg = args.string('model') ?? 'all';
    const params = parseParamList(args.strings('param'));
    if (search !== undefined && search !== 'grid' && search !== 'random')
      throw new UsageError(`--search must be grid or random, got ${JSON.stringify(search)}`);
    if (search && !args.has('space')) throw new UsageError('--search needs --space');
    if (!search && (args.has('space') || args.has('trials')))
      throw new UsageError('--space and --trials need --search');
    if (search && folds !== undefined) throw new UsageError('--search and --folds cannot be combined');
    const metric = (args.string('metric') ?? 'ndcg') as MetricName;
    if (!METRIC_NAMES.includes(metric)) throw new UsageError(`--metric must be one of ${METRIC_NAMES.join(', ')}`);
    if (modelArg === 'all' && (search || Object.keys(params).length > 0))
      throw new UsageError('--param and --search need one --model, not all');
    const split = readSplitSpec(args);

    const explicit = args.has('train') || args.has('test');
    let dataset: Dataset;
    let train: Interaction[];
    let test: Interaction[];
    let protocol: EvaluateResult['protocol'];
    if (explicit) {
      for (const flag of ['dataset', 'interactions', 'users', 'split', 'ratio', 'folds'])
        if (args.has(flag)) throw new UsageError(`--${flag} cannot be combined with --train/--test`);
      const trainFile = resolve(ctx.io.cwd, args.requiredString('train', 'FILE'));
      const testFile = resolve(ctx.io.cwd, args.requiredString('test', 'FILE'));
      const columnsArg = args.string('columns');
      const columns = columnsArg ? parseColumnMapping(columnsArg) : undefined;
      const trainRead = await readInteractionsFile(trainFile, { columns });
      const testRead = await readInteractionsFile(testFile, { columns, format: trainRead.format });
      train = trainRead.rows;
      test = testRead.rows;
      dataset = new Dataset('interactions', `${trainFile} + ${basename(testFile)}`, trainRead.format, [
        ...train,
        ...test,
      ]);
      protocol = { kind: 'files', train: trainFile, test: testFile };
    } else {
      dataset = await loadDataset(args, ctx);
      if (folds !== undefined) {
        train = dataset.rows;
        test = [];
        protocol = { kind: 'cross-validation', folds, seed: split.seed };
      } else {
        ({ train, test } = splitRows(dataset.rows, split));
        protocol = { kind: 'split', split, train: train.length, test: test.length };
      }
    }
    const relevance = relevanceFor(dataset.rows);
    const env: ModelEnv = { itemFeatures: () => dataset.itemFeatures(), format: dataset.format };
    const preset = (name: ModelName) => (name === 'best' ? { preset: bestKnownFor(env.format).model } : {});

    const skipped: EvaluateResult['skipped'] = [];
    let models: ModelName[];
    if (modelArg === 'all') {
      const items = new Set(train.map((r) => r.itemId)).size;
      models = MODEL_NAMES.filter((name) => {
        if ((name === 'ease' || name === 'dlae') && items > EASE_DEFAULT_MAX_ITEMS) {
          skipped.push({
            model: name,
            reason: `${count(items)} items > ${count(EASE_DEFAULT_MAX_ITEMS)} (dense n³ fit); use --model ${name}`,
          });
          return false;
        }
        if (name === 'content' && !dataset.itemFeatures()) {
          skipped.push({ model: name, reason: 'no item features for this data' });
          return false;
        }
        return true;
      });
    } else models = [assertModelName(modelArg)];

    const results: ModelEvaluation[] = [];
    const progress = ctx.progress('evaluate', models.length);
    try {
      if (folds !== undefined) {
        for (const name of models) {
          const resolved = resolveParams(name, params, env);
          const cv = crossValidate(() => buildModel({ name, params: resolved }, env), train, {
            folds,
            k,
            seed: split.seed,
            buildMatrix: (rows) => matrixFor(name, rows, env),
            relevance,
          });
          const mean = (pick: (f: (typeof cv.folds)[number]) => number) =>
            cv.folds.reduce((s, f) => s + pick(f), 0) / cv.folds.length;
          results.push({
            model: name,
            ...preset(name),
            params: resolved,
            metrics: {
              ...cv.mean,
              k,
              users: Math.round(mean((f) => f.users)),
              skippedUsers: Math.round(mean((f) => f.skippedUsers)),
            },
            std: cv.std,
            folds: cv.folds.map(({ fit, elapsedMs: _e, ...f }) => ({ ...f, fitMs: fit.elapsedMs })),
            fitMs: mean((f) => f.fit.elapsedMs),
            evalMs: mean((f) => f.elapsedMs - f.fit.elapsedMs),
          });
          progress.tick();
        }
      } else {
        for (const name of models) {
          const matrix = matrixFor(name, train, env);
          let resolved = resolveParams(name, params, env);
          let searchResult: ModelEvaluation['search'];
          if (search) {
            searchResult = runSearch(search, name, resolved, train, { ...split, seed: split.seed + 1 }, args, env, {
              k,
              metric,
              relevance,
              ctx,
            });
            resolved = { ...resolved, ...searchResult.best };
          }
          const model = buildModel({ name, params: resolved }, env);
          const fit = model.fit(matrix);
          const started = performance.now();
          const metrics = evaluateRecommender(model, matrix, test, { k, relevance });
          results.push({
            model: name,
            ...preset(name),
            params: resolved,
            metrics,
            fitMs: fit.elapsedMs,
            evalMs: performance.now() - started,
            fit,
            search: searchResult,
          });
          progress.tick();
        }
      }
    } finally {
      progress.finish();
    }
    const output: EvaluateResult = {
      dataset: dataset.summary(),
      protocol,
      k,
      results: results.map((r) => ({
        ...r,
        metrics: rounded(r.metrics),
        fitMs: Math.round(r.fitMs),
        evalMs: Math.round(r.evalMs),
        ...(r.std && { std: rounded(r.std) }),
        ...(r.search && {
          search: { ...r.search, trials: r.search.trials.map((t) => ({ ...t, metrics: rounded(t.metrics) })) },
        }),
      })),
      skipped,
    };
    ctx.print(formatEvaluation(output));
    return output;
  },
};

function runSearch(
  kind: 'grid' | 'random',
  name: ModelName,
  fixedParams: ModelParams,
  train: Interaction[],
  innerSplit: SplitSpec,
  args: ParsedArgs,
  env: ModelEnv,
  o: { k: number; metric: MetricName; relevance: ReturnType<typeof relevanceFor>; ctx: CommandContext },
): NonNullable<ModelEvaluation['search']> {
  const space = parseSearchSpace(args.requiredString('space', 'SPEC'), kind, name, env);
  // Parameters are chosen on a validation split carved out of the training rows, so the test rows stay unseen.
  const inner = splitRows(train, innerSplit);
  const matrix = buildMatrix(inner.train);
  const factory = (p: Record<string, unknown>) =>
    buildModel({ name, params: { ...fixedParams, ...(p as ModelParams) } }, env);
  const options = { k: o.k, metric: o.metric, relevance: o.relevance };
  const result =
    kind === 'grid'
      ? gridSearch(space as Record<string, ParamValue[]>, factory, matrix, inner.test, options)
      : randomSearch(space, args.number('trials') ?? 10, innerSplit.seed, factory, matrix, inner.test, options);
  const typed = (p: Record<string, unknown>): ModelParams =>
    Object.fromEntries(
      Object.entries(p).map(([key, v]) => [
        key,
        typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v,
      ]),
    ) as ModelParams;
  o.ctx.warn(`search: ${result.trials.length} ${kind} trials of ${name} on a validation split of the training rows`);
  return {
    kind,
    metric: result.metric,
    best: typed(result.best.params),
    trials: result.trials.map((t) => ({
      params: typed(t.params),
      metrics: t.metrics,
      fitMs: Math.round(t.fit.elapsedMs),
      elapsedMs: Math.round(t.elapsedMs),
    })),
  };
}

export const METRIC_LABELS: Record<MetricName, string> = {
  precision: 'precision',
  recall: 'recall',
  ndcg: 'nDCG',
  map: 'MAP',
  hitRate: 'hit rate',
  coverage: 'coverage',
  novelty: 'novelty',
};

const shortValue = (v: ParamValue): string =>
  typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : String(v);

export function formatEvaluation(r: EvaluateResult): string {
  const d = r.dataset;
  const lines: string[] = [];
  lines.push(
    `${d.name === 'interactions' ? d.source : d.name}: ${count(d.interactions)} interactions, ${count(d.users)} users, ${count(d.items)} items`,
  );
  const p = r.protocol;
  if (p.kind === 'split')
    lines.push(
      `${p.split.kind} split${p.split.kind === 'leave-last-out' ? '' : ` ${p.split.ratio}`}${p.split.kind === 'stratified' ? ` (seed ${p.split.seed})` : ''}: ` +
        `${count(p.train)} train / ${count(p.test)} test rows; K = ${r.k}`,
    );
  else if (p.kind === 'files') lines.push(`train ${p.train}, test ${p.test}; K = ${r.k}`);
  else lines.push(`${p.folds}-fold cross-validation (seed ${p.seed}), mean ± std over folds; K = ${r.k}`);
  lines.push('');
  const cv = p.kind === 'cross-validation';
  const header = ['model', ...METRIC_NAMES.map((m) => `${METRIC_LABELS[m]}@${r.k}`), 'users', 'fit s', 'eval s'];
  const rows = r.results.map((e) => [
    e.preset ? `${e.model} (${e.preset})` : e.model,
    ...METRIC_NAMES.map((m) =>
      cv && e.std
        ? `${fixed(e.metrics[m], m === 'novelty' ? 2 : 4)}±${fixed(e.std[m], m === 'novelty' ? 2 : 4)}`
        : fixed(e.metrics[m], m === 'novelty' ? 2 : 4),
    ),
    count(e.metrics.users),
    seconds(e.fitMs),
    seconds(e.evalMs),
  ]);
  lines.push(formatTable(header, rows, header.map((_, i) => i).slice(1)));
  for (const s of r.skipped) lines.push(`(${s.model} skipped: ${s.reason})`);
  for (const e of r.results) {
    if (!e.search) continue;
    const keys = Object.keys(e.search.best);
    lines.push(
      '',
      `${e.search.kind} search of ${e.model} on a validation split (${e.search.trials.length} trials, by ${METRIC_LABELS[e.search.metric]}@${r.k}):`,
    );
    const trialRows = e.search.trials.map((t, i) => [
      String(i + 1),
      ...keys.map((key) => shortValue(t.params[key])),
      ...(['precision', 'recall', 'ndcg', 'map'] as const).map((m) => fixed(t.metrics[m], 4)),
      seconds(t.fitMs),
      keys.every((key) => t.params[key] === e.search?.best[key]) ? 'best' : '',
    ]);
    const trialHeader = ['#', ...keys, `precision@${r.k}`, `recall@${r.k}`, `nDCG@${r.k}`, `MAP@${r.k}`, 'fit s', ''];
    lines.push(formatTable(trialHeader, trialRows, trialHeader.map((_, i) => i).slice(1, -1)));
    lines.push(
      `best: ${keys.map((key) => `${key}=${e.search?.best[key]}`).join(' ')} (refitted on all training rows for the table above)`,
    );
  }
  return lines.join('\n');
}
