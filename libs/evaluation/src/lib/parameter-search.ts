import type { Interaction } from '@encore/datasets';
import type { FitReport, InteractionMatrix, Recommender } from '@encore/features';
import { Rng } from '@encore/linalg';
import { evaluateRecommender, type EvaluateOptions, type EvaluationResult, type MetricName } from './evaluate';

export type SearchParams = Record<string, unknown>;

/** Every value to try for each parameter. */
export type GridSpace = Record<string, readonly unknown[]>;

/** The configuration type a grid produces: one element of each list. */
export type GridParams<S extends GridSpace> = { [K in keyof S]: S[K][number] };

/** A numeric range to sample from: uniform, or log-uniform for rates and regularisation. */
export interface NumericRange {
  min: number;
  max: number;
  scale?: 'linear' | 'log';
  /** Round to an integer (sampled uniformly over min…max inclusive on the linear scale). */
  integer?: boolean;
}

/** Per parameter: a list of choices (drawn uniformly) or a numeric range. */
export type RandomSpace = Record<string, readonly unknown[] | NumericRange>;

/** The configuration type a random space produces: ranges give numbers, lists their element type. */
export type RandomParams<S extends RandomSpace> = {
  [K in keyof S]: S[K] extends NumericRange ? number : S[K] extends readonly (infer V)[] ? V : never;
};

export interface SearchOptions extends Omit<EvaluateOptions, 'k'> {
  /** Metric to maximise; default 'ndcg'. */
  metric?: MetricName;
  /** Default 10. */
  k?: number;
}

export interface Trial<P extends SearchParams> {
  params: P;
  metrics: EvaluationResult;
  fit: FitReport;
  /** Fit + evaluation wall time. */
  elapsedMs: number;
}

export interface SearchResult<P extends SearchParams> {
  metric: MetricName;
  /** The first trial with the highest value of `metric`. */
  best: Trial<P>;
  /** Every configuration tried, in the order tried. */
  trials: Trial<P>[];
}

/** Cartesian product of the grid; the last parameter varies fastest. */
export function gridConfigurations<S extends GridSpace>(space: S): GridParams<S>[] {
  let configs: SearchParams[] = [{}];
  for (const key of Object.keys(space)) {
    const values = space[key];
    if (values.length === 0) throw new Error(`grid parameter "${key}" has no values`);
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return configs as GridParams<S>[];
}

/** n configurations drawn independently from the space with a seeded stream. */
export function sampleConfigurations<S extends RandomSpace>(space: S, n: number, seed: number): RandomParams<S>[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, got ${n}`);
  const rng = new Rng(seed);
  const out: RandomParams<S>[] = [];
  for (let t = 0; t < n; t++) {
    const config: SearchParams = {};
    for (const key of Object.keys(space)) {
      const dim = space[key];
      config[key] = Array.isArray(dim) ? pickChoice(dim, rng, key) : sampleRange(dim as NumericRange, rng, key);
    }
    out.push(config as RandomParams<S>);
  }
  return out;
}

function pickChoice(values: readonly unknown[], rng: Rng, key: string): unknown {
  if (values.length === 0) throw new Error(`search parameter "${key}" has no values`);
  return values[rng.int(values.length)];
}

function sampleRange(range: NumericRange, rng: Rng, key: string): number {
  const { min, max } = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new Error(`search parameter "${key}" needs finite min ≤ max, got ${min}…${max}`);
  }
  if (range.scale === 'log') {
    if (min <= 0) throw new Error(`search parameter "${key}" is log-scaled, so min must be > 0`);
    const v = Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
    return range.integer ? Math.min(max, Math.max(min, Math.round(v))) : v;
  }
  if (range.integer) {
    const lo = Math.ceil(min);
    return lo + rng.int(Math.floor(max) - lo + 1);
  }
  return min + rng.next() * (max - min);
}

function runTrials<P extends SearchParams>(
  configs: readonly P[],
  factory: (params: P) => Recommender,
  train: InteractionMatrix,
  validation: readonly Interaction[],
  options: SearchOptions,
): SearchResult<P> {
  const metric = options.metric ?? 'ndcg';
  const { metric: _metric, k = 10, ...evaluate } = options;
  const trials: Trial<P>[] = [];
  let best: Trial<P> | null = null;
  for (const params of configs) {
    const started = performance.now();
    const model = factory(params);
    const fit = model.fit(train);
    const metrics = evaluateRecommender(model, train, validation, { ...evaluate, k });
    const trial: Trial<P> = { params, metrics, fit, elapsedMs: performance.now() - started };
    trials.push(trial);
    // NaN never wins; ties keep the earlier trial.
    if (
      !Number.isNaN(metrics[metric]) &&
      (best === null || Number.isNaN(best.metrics[metric]) || metrics[metric] > best.metrics[metric])
    ) {
      best = trial;
    }
    best ??= trial;
  }
  if (best === null) throw new Error('the search space has no configurations');
  return { metric, best, trials };
}

/**
 * Fits and evaluates every configuration of the grid on a fixed train/validation split and
 * returns all trials plus the best by `metric`.
 */
export function gridSearch<S extends GridSpace>(
  space: S,
  factory: (params: GridParams<S>) => Recommender,
  train: InteractionMatrix,
  validation: readonly Interaction[],
  options: SearchOptions = {},
): SearchResult<GridParams<S>> {
  return runTrials(gridConfigurations(space), factory, train, validation, options);
}

/** As `gridSearch`, over `n` configurations sampled from the space with `seed`. */
export function randomSearch<S extends RandomSpace>(
  space: S,
  n: number,
  seed: number,
  factory: (params: RandomParams<S>) => Recommender,
  train: InteractionMatrix,
  validation: readonly Interaction[],
  options: SearchOptions = {},
): SearchResult<RandomParams<S>> {
  return runTrials(sampleConfigurations(space, n, seed), factory, train, validation, options);
}
