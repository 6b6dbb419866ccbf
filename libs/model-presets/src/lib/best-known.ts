import type { DatasetName, Interaction } from '@encore/datasets';
import type { Recommender } from '@encore/features';
import { createModel, type ModelName } from './model-factory';

/**
 * How interaction weights become matrix values before fitting: 'weight' keeps them (ratings,
 * event-weighted plays), 'binary' makes every row 1, 'log1p' damps play counts to log(1 + w).
 */
export type ValueTransform = 'weight' | 'binary' | 'log1p';

/** Ranking quality measured once on the held-out test split, after selection on validation data. */
export interface MeasuredRanking {
  /** The split and relevance rule, in words. */
  protocol: string;
  /** The stratifiedSplit of @encore/evaluation that produced the test split. */
  split: { ratio: number; seed: number };
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  /** Sum of precisions at the hits divided by |relevant| (Microsoft Recommenders' convention). */
  map: number;
}

export interface BestKnownConfig {
  model: ModelName;
  /** Passed to createModel (empty: the model's own defaults). */
  params: Record<string, unknown>;
  values: ValueTransform;
  /** How the configuration was selected, without touching the test split. */
  selection: string;
  /** Test-split figures, or null when Encore has no benchmark for the data. */
  measured: MeasuredRanking | null;
}

/**
 * The best configuration Encore knows for each dataset preset of @encore/datasets, so callers
 * (the CLI's `recommend --all-users`, `evaluate`) can default to it. Figures are reproducible
 * with the dataset specs of this library.
 */
export const BEST_KNOWN: Readonly<Record<DatasetName, BestKnownConfig>> = deepFreeze({
  'movielens-100k': {
    model: 'best-movielens',
    params: {},
    values: 'weight',
    selection:
      'grid search on validation data only: per-user 80/20 splits (seeds 7, 11, 13, 17) and 10-, 20- and 40-fold ' +
      'per-user CV (seeds 5, 3, 9) of the 75% training part, blend weights by the mean gain over the three CVs ' +
      '(the linear model gains on ALS as the training part grows, so the folds closest to 75% count); ' +
      'refitted on the whole training part',
    measured: {
      protocol:
        'Microsoft Recommenders: stratifiedSplit 75/25 per user, seed 42; every test rating relevant; seen items removed',
      split: { ratio: 0.75, seed: 42 },
      k: 10,
      precision: 0.4338,
      recall: 0.2307,
      ndcg: 0.5003,
      map: 0.1577,
    },
  },
  'lastfm-2k': {
    model: 'blend',
    params: {
      components: [
        { model: 'als', params: { alpha: 3, regularization: 50 }, weight: 0.6 },
        { model: 'rp3beta', params: { alpha: 0.8, beta: 0.3, binarize: false }, weight: 0.4 },
      ],
      hybrid: { normalisation: 'zscore', candidates: 500 },
    },
    values: 'log1p',
    selection:
      'grid search on a per-user 80/20 split (seed 7) of the 80% training part; refitted on the whole training part',
    measured: {
      protocol: 'stratifiedSplit 80/20 per user, seed 42; every held-out artist relevant; seen artists removed',
      split: { ratio: 0.8, seed: 42 },
      k: 10,
      precision: 0.1965,
      recall: 0.2,
      ndcg: 0.2401,
      map: 0.1266,
    },
  },
  'interactions-csv': {
    model: 'als',
    params: {},
    values: 'weight',
    selection: 'not tuned: no benchmark data; ALS defaults, with the event weights of buildInteractionMatrix',
    measured: null,
  },
});

export function bestKnownConfig(dataset: string): BestKnownConfig {
  const config = (BEST_KNOWN as Record<string, BestKnownConfig | undefined>)[dataset];
  if (!config)
    throw new Error(
      `no best-known configuration for "${dataset}"; expected one of ${Object.keys(BEST_KNOWN).join(', ')}`,
    );
  return config;
}

/** A fresh, unfitted model with the dataset's best-known configuration. */
export function createBestModel(dataset: string): Recommender {
  const config = bestKnownConfig(dataset);
  return createModel(config.model, config.params);
}

/** Rows with their weights transformed as `transform` says (new objects; the input is not changed). */
export function transformValues<T extends Interaction>(rows: readonly T[], transform: ValueTransform): T[] {
  if (transform === 'weight') return rows.slice();
  if (transform === 'binary') return rows.map((r) => ({ ...r, weight: 1 }));
  return rows.map((r) => {
    const w = r.weight ?? 1;
    if (w < 0) throw new Error(`log1p needs non-negative weights; user ${r.userId}, item ${r.itemId} has ${w}`);
    return { ...r, weight: Math.log1p(w) };
  });
}

/** Freezes nested params too, so no caller changes a default for everyone by mutating it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
