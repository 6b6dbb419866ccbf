import {
  strongestSeed,
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  type Reason,
  type Scored,
} from '@encore/features';
import { TopK } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';

/**
 * What the dense linear item models (EASE, DLAE) share once fitted: an items × items weight matrix B, row-major in a
 * Float32Array, scores x_u·B over the user's (optionally binarised) values, reasons from the seed with the largest
 * vote, look-alikes from a row of B, and B as the artifact's `weights` blob. Subclasses only compute B.
 */
export abstract class ItemWeightsRecommender extends ScoringRecommender {
  abstract readonly options: { readonly binarize: boolean };
  protected b: Float32Array | null = null;

  /** The items × items weight matrix B, row-major: B[i·n + j] is how much item i votes for j. */
  get weights(): Float32Array {
    return assertFitted(this.kind, this.b);
  }

  protected value(v: number): number {
    return this.options.binarize ? (v > 0 ? 1 : 0) : v;
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const data = this.interactions;
    return this.scoreInteractions(data.seen(user), data.values(user), out);
  }

  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    const b = this.weights;
    const n = this.interactions.items;
    assertScoreBuffer(this.kind, out, n);
    out.fill(0, 0, n);
    for (let p = 0; p < items.length; p++) {
      const x = this.value(values[p]);
      if (x === 0) continue;
      const ri = items[p] * n;
      for (let j = 0; j < n; j++) out[j] += x * b[ri + j];
    }
    return out;
  }

  protected explain(user: number, item: number): Reason {
    const b = this.weights;
    const data = this.interactions;
    const n = data.items;
    return strongestSeed(
      this.kind,
      data.seen(user),
      data.values(user),
      // An item's vote for itself (DLAE's unconstrained diagonal) is no reason to recommend it.
      (seed, v) => (seed === item ? 0 : this.value(v) * b[seed * n + item]),
    );
  }

  /** Items that item `item` votes for most strongly (row `item` of B, itself left out). */
  similarItems(item: number, k: number): Scored[] {
    const b = this.weights;
    const n = this.interactions.items;
    const heap = new TopK(k);
    for (let j = 0; j < n; j++) if (j !== item) heap.push(j, b[item * n + j]);
    return heap
      .toSorted()
      .map((s) => ({ index: s.index, score: s.score, reason: { source: this.kind, seedItem: item } }));
  }

  toArtifact(): ModelState {
    const { blobs, meta } = this.interactions.toState();
    return { kind: this.kind, params: { ...this.options }, blobs: { ...blobs, weights: this.weights }, meta };
  }

  /** fromArtifact's common part: checks the kind and B's size, then installs B and the interactions on `model`. */
  protected static restore<M extends ItemWeightsRecommender>(model: M, state: ModelState): M {
    if (state.kind !== model.kind) {
      const article = /^[aeiou]/.test(model.kind) ? 'an' : 'a';
      throw new Error(`expected ${article} "${model.kind}" artifact, got "${state.kind}"`);
    }
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const weights = blobOf(state.blobs, 'weights', Float32Array);
    if (weights.length !== data.items * data.items)
      throw new Error(`${model.kind}: weights hold ${weights.length} values for ${data.items} items`);
    model.b = weights;
    model.setInteractions(data);
    return model;
  }
}
