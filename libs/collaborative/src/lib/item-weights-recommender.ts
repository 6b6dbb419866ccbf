import {
  strongestSeed,
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  type FitReport,
  type Reason,
  type Scored,
} from '@encore/features';
import { TopK } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';
import { invertSpdInPlace } from './spd-inverse';

/**
 * What the dense linear item models (EASE, DLAE) share once fitted: an items × items weight matrix B, row-major in a
 * Float32Array, scores x_u·B over the user's (optionally binarised) values, reasons from the seed with the largest
 * vote, look-alikes from a row of B, and B as the artifact's `weights` blob. Fitting builds the Gram matrix
 * XᵀWX and inverts it once with its diagonal penalised; subclasses say how (`penalise`) and how B follows (`weightsOf`).
 */
export abstract class ItemWeightsRecommender extends ScoringRecommender {
  abstract readonly options: { readonly binarize: boolean; readonly maxItems: number };
  protected b: Float32Array | null = null;

  /** Adds the model's penalty to the Gram's diagonal, in place; returns it per item when `weightsOf` needs it. */
  protected abstract penalise(g: Float64Array, n: number): Float64Array | undefined;
  /** B from P = (G + penalty)⁻¹, whose lower triangle holds the symmetric inverse. */
  protected abstract weightsOf(p: Float64Array, n: number, penalty: Float64Array | undefined): Float32Array;

  /** γ of the row weights |I_u|^(−γ) in the Gram; 0 weighs every user alike. */
  protected rowWeightExponent(): number {
    return 0;
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const n = data.items;
    if (n > this.options.maxItems) {
      const gb = ((8 * n * n) / 1e9).toFixed(1);
      throw new Error(
        `${this.kind}: ${n.toLocaleString('en-US')} items exceed maxItems = ` +
          `${this.options.maxItems.toLocaleString('en-US')} (a dense ${n}×${n} matrix, ${gb} GB while fitting); ` +
          'raise maxItems or prune rare items first',
      );
    }
    const g = this.gram(data);
    const penalty = this.penalise(g, n);
    const gramMs = performance.now() - start;
    invertSpdInPlace(g, n);
    this.b = this.weightsOf(g, n, penalty);
    this.setInteractions(data);
    const elapsedMs = performance.now() - start;
    return {
      kind: this.kind,
      users: data.users,
      items: n,
      nnz: data.nnz,
      elapsedMs,
      details: { gramMs, inverseMs: elapsedMs - gramMs },
    };
  }

  /** Lower triangle of XᵀWX, user by user from co-occurrences. */
  private gram(data: InteractionMatrix): Float64Array {
    const n = data.items;
    const m = data.matrix;
    const g = new Float64Array(n * n);
    const gamma = this.rowWeightExponent();
    for (let u = 0; u < data.users; u++) {
      const start = m.rowPtr[u];
      const end = m.rowPtr[u + 1];
      if (end === start) continue;
      const w = gamma === 0 ? 1 : Math.pow(end - start, -gamma);
      for (let p = start; p < end; p++) {
        const xa = w * this.value(m.values[p]);
        if (xa === 0) continue;
        const ra = m.colIdx[p] * n;
        // Columns ascend within a row, so q ≤ p lands in the lower triangle.
        for (let q = start; q <= p; q++) g[ra + m.colIdx[q]] += xa * this.value(m.values[q]);
      }
    }
    return g;
  }

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
