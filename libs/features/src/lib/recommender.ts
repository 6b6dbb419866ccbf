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
 * (excluding the user's seen items unless told otherwise), serialise to a ModelState.
 * Each model class also has `static fromArtifact(state: ModelState)`.
 */
export interface Recommender {
  readonly kind: string;
  fit(data: InteractionMatrix): FitReport;
  /**
   * Top-k items for a user, best first. `exclude` holds extra dense item indices to leave
   * out (the user's own seen items are always left out).
   */
  recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[];
  /** Scores for every item for this user (higher is better) into `out`; seen items are not masked. */
  scoreAll(user: number, out: Float32Array): Float32Array;
  toArtifact(): ModelState;
}
