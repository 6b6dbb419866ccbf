import type { Interaction } from '@encore/datasets';
import { buildInteractionMatrix, type FitReport, type InteractionMatrix, type Recommender } from '@encore/features';
import {
  evaluateRecommender,
  METRIC_NAMES,
  type EvaluateOptions,
  type EvaluationResult,
  type MetricValues,
} from './evaluate';
import { kFoldSplits } from './splits';

/** Builds the training matrix from interaction rows (normally `buildInteractionMatrix` from @encore/features). */
export type MatrixBuilder = (interactions: readonly Interaction[]) => InteractionMatrix;

export interface CrossValidateOptions extends Omit<EvaluateOptions, 'k'> {
  /** Default 5. */
  folds?: number;
  /** Default 10. */
  k?: number;
  /** Default 42. */
  seed?: number;
  /** Default: `buildInteractionMatrix` from @encore/features with its default event weights. */
  buildMatrix?: MatrixBuilder;
}

export interface FoldResult extends EvaluationResult {
  fold: number;
  fit: FitReport;
  elapsedMs: number;
}

export interface CrossValidationResult {
  k: number;
  folds: FoldResult[];
  mean: MetricValues;
  /** Population standard deviation over folds (numpy's default ddof=0). */
  std: MetricValues;
}

const defaultMatrixBuilder: MatrixBuilder = (rows) => buildInteractionMatrix(rows);

export function summarise(values: readonly MetricValues[]): { mean: MetricValues; std: MetricValues } {
  const mean = {} as MetricValues;
  const std = {} as MetricValues;
  for (const name of METRIC_NAMES) {
    let s = 0;
    for (const v of values) s += v[name];
    const m = values.length === 0 ? 0 : s / values.length;
    let s2 = 0;
    for (const v of values) s2 += (v[name] - m) ** 2;
    mean[name] = m;
    std[name] = values.length === 0 ? 0 : Math.sqrt(s2 / values.length);
  }
  return { mean, std };
}

/**
 * k-fold cross-validation stratified by user (`kFoldSplits`): for each fold, build the matrix
 * from the other folds, fit a fresh model from `factory`, and evaluate it on the held-out fold.
 */
export function crossValidate(
  factory: (fold: number) => Recommender,
  interactions: readonly Interaction[],
  options: CrossValidateOptions = {},
): CrossValidationResult {
  const k = options.k ?? 10;
  const { buildMatrix = defaultMatrixBuilder, folds: _folds, seed: _seed, ...evaluate } = options;
  const splits = kFoldSplits(interactions, options.folds ?? 5, options.seed ?? 42);
  const folds = splits.map(({ train, test }, fold): FoldResult => {
    const started = performance.now();
    const matrix = buildMatrix(train);
    const model = factory(fold);
    const fit = model.fit(matrix);
    const metrics = evaluateRecommender(model, matrix, test, { ...evaluate, k });
    return { ...metrics, fold, fit, elapsedMs: performance.now() - started };
  });
  return { k, folds, ...summarise(folds) };
}
