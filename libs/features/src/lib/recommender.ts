import { topK } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';
import type { InteractionMatrix } from './interaction-matrix';

/** Which part of the engine put an item in a list, and the song that led to it, if any. */
export interface Reason {
  /** e.g. 'item-knn', 'als', 'ease', 'content', 'popularity' */
  source: string;
  /** Dense item index of the seed ("because you liked …"), when there is one. */
  seedItem?: number;
  /** Genre for genre-popularity reasons ("popular in indie"). */
  genre?: string;
}

export interface Scored {
  index: number;
  score: number;
  reason?: Reason;
}

export interface FitReport {
  kind: string;
  users: number;
  items: number;
  nnz: number;
  elapsedMs: number;
  /** Per-iteration loss or other model-specific figures. */
  details?: Record<string, unknown>;
}

/**
 * One shape for every model: fit on an interaction matrix, recommend by dense user index
 * (excluding the user's seen and disliked items), serialise to a ModelState.
 * Each model class also has `static fromArtifact(state: ModelState)`.
 */
export interface Recommender {
  readonly kind: string;
  fit(data: InteractionMatrix): FitReport;
  /**
   * Top-k items for a user, best first, each with a reason. `exclude` holds extra dense item
   * indices to leave out (the user's own seen and disliked items are always left out).
   */
  recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[];
  /** Scores for every item for this user (higher is better) into `out`; seen items are not masked. */
  scoreAll(user: number, out: Float32Array): Float32Array;
  toArtifact(): ModelState;
  /**
   * Fold-in: scores for every item for a user described only by their interactions (a new
   * user, or one whose feedback arrived after training), without retraining.
   */
  scoreInteractions?(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array;
  /** The k items most similar to `item` under the model ("more like this"), best first. */
  similarItems?(item: number, k: number): Scored[];
}

/**
 * The k best entries of `scores` for `user`, leaving out their seen and disliked items and
 * `exclude`. Overwrites those entries of `scores` with -Infinity (the engine-wide
 * "excluded" mark), so pass a scratch buffer. Heap selection, no full sort.
 */
export function rankUnseen(
  scores: Float32Array,
  k: number,
  data: InteractionMatrix | null,
  user: number,
  exclude?: ReadonlySet<number>,
): Scored[] {
  if (data && user >= 0 && user < data.users) {
    maskIndices(scores, data.seen(user));
    maskIndices(scores, data.disliked(user));
  }
  if (exclude) for (const i of exclude) if (i >= 0 && i < scores.length) scores[i] = -Infinity;
  return topK(scores, k);
}

function maskIndices(scores: Float32Array, indices: Int32Array): void {
  for (let p = 0; p < indices.length; p++) scores[indices[p]] = -Infinity;
}

/** Throws a RangeError naming the valid range when `user` is not a fitted user index. */
export function assertUser(kind: string, user: number, users: number): void {
  if (!Number.isInteger(user) || user < 0 || user >= users) {
    throw new RangeError(`${kind}: user index ${user} is outside the ${users} fitted users (0…${users - 1})`);
  }
}

/** Throws when `out` cannot hold one score per item. */
export function assertScoreBuffer(kind: string, out: Float32Array, items: number): void {
  if (out.length < items)
    throw new RangeError(`${kind}: score buffer holds ${out.length} entries, the model has ${items} items`);
}

/** Throws unless the model was fitted (or restored); names the model so the caller knows which. */
export function assertFitted<T>(kind: string, value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error(`${kind}: call fit() or fromArtifact() first`);
  return value;
}
