import type { ModelState } from '@encore/model-artifact';
import type { InteractionMatrix } from './interaction-matrix';
import { assertUser, rankUnseen, type FitReport, type Reason, type Recommender, type Scored } from './recommender';

/**
 * The shared half of every model that ranks by scoring all items: it keeps the training
 * interactions (to leave out what a user has seen or disliked), one reusable score buffer,
 * and the recommend() template — score every item, mask, heap-select the top k, explain each.
 * Subclasses provide the scores and the reason.
 */
export abstract class ScoringRecommender implements Recommender {
  abstract readonly kind: string;
  private trained: InteractionMatrix | null = null;
  private scratch: Float32Array | null = null;

  abstract fit(data: InteractionMatrix): FitReport;
  abstract scoreAll(user: number, out: Float32Array): Float32Array;
  abstract toArtifact(): ModelState;
  /** Why `item` was recommended to `user` (called for the k items only). */
  protected abstract explain(user: number, item: number): Reason;

  /** The interactions the model was fitted on (or restored with). */
  get interactions(): InteractionMatrix {
    if (!this.trained) throw new Error(`${this.kind}: call fit() or fromArtifact() first`);
    return this.trained;
  }

  get isFitted(): boolean {
    return this.trained !== null;
  }

  protected setInteractions(data: InteractionMatrix): void {
    this.trained = data;
    this.scratch = null;
  }

  recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[] {
    const data = this.interactions;
    assertUser(this.kind, user, data.users);
    return this.rank(user, k, exclude, (out) => this.scoreAll(user, out));
  }

  /** Scores into the reusable buffer with `score`, then masks and selects like recommend(). */
  protected rank(
    user: number,
    k: number,
    exclude: ReadonlySet<number> | undefined,
    score: (out: Float32Array) => void,
  ): Scored[] {
    const data = this.interactions;
    if (k <= 0) return [];
    if (!this.scratch || this.scratch.length !== data.items) this.scratch = new Float32Array(data.items);
    score(this.scratch);
    return rankUnseen(this.scratch, k, data, user, exclude).map((s) => ({
      index: s.index,
      score: s.score,
      reason: this.explain(user, s.index),
    }));
  }
}
