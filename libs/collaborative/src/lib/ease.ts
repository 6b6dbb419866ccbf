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

export interface EaseOptions {
  /** λ added to the diagonal of XᵀX (Steck uses a few hundred). Default 500. */
  regularization: number;
  /**
   * Largest item count accepted: fitting costs n³/2 multiply-adds and 12·n² bytes (about
   * 8 minutes and 1.2 GB at 10,000 items in plain JS), the model keeps 4·n² bytes. Default 10,000.
   */
  maxItems: number;
  /** Train on X = 1 where the value is positive (Steck's formulation). Default true. */
  binarize: boolean;
}

const DEFAULTS: EaseOptions = { regularization: 500, maxItems: 10_000, binarize: true };

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): the closed-form item-item model
 * B = I − P·diagMat(1/diag(P)), P = (XᵀX + λI)⁻¹, with a zero diagonal so no item predicts
 * itself. Scores are x_u·B. Fitting costs one dense SPD inverse (n³/2 multiply-adds,
 * 8·n² bytes while fitting, 4·n² bytes kept), hence the maxItems guard.
 */
export class Ease extends ScoringRecommender {
  readonly kind = 'ease';
  readonly options: EaseOptions;
  private b: Float32Array | null = null;

  constructor(options: Partial<EaseOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.regularization > 0))
      throw new Error(`ease: regularization must be > 0, got ${this.options.regularization}`);
  }

  /** The items × items weight matrix B, row-major: B[i·n + j] is how much item i votes for j. */
  get weights(): Float32Array {
    return assertFitted(this.kind, this.b);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const n = data.items;
    if (n > this.options.maxItems) {
      const gb = ((8 * n * n) / 1e9).toFixed(1);
      throw new Error(
        `ease: ${n.toLocaleString('en-US')} items exceed maxItems = ${this.options.maxItems.toLocaleString('en-US')} ` +
          `(a dense ${n}×${n} matrix, ${gb} GB while fitting); raise maxItems or prune rare items first`,
      );
    }
    const g = this.gram(data);
    const gramMs = performance.now() - start;
    invertSpdInPlace(g, n);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        // P's inverse is kept in the lower triangle only.
        const p = j < i ? g[ri + j] : g[j * n + i];
        b[ri + j] = -p / g[j * n + j];
      }
    }
    this.b = b;
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

  /** Lower triangle of XᵀX + λI, built user by user from co-occurrences. */
  private gram(data: InteractionMatrix): Float64Array {
    const n = data.items;
    const m = data.matrix;
    const g = new Float64Array(n * n);
    for (let u = 0; u < data.users; u++) {
      const start = m.rowPtr[u];
      const end = m.rowPtr[u + 1];
      for (let p = start; p < end; p++) {
        const xa = this.value(m.values[p]);
        if (xa === 0) continue;
        const ra = m.colIdx[p] * n;
        // Columns ascend within a row, so q ≤ p lands in the lower triangle.
        for (let q = start; q <= p; q++) g[ra + m.colIdx[q]] += xa * this.value(m.values[q]);
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i] += this.options.regularization;
    return g;
  }

  private value(v: number): number {
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
      (seed, v) => this.value(v) * b[seed * n + item],
    );
  }

  /** Items that item `item` votes for most strongly (row `item` of B). */
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

  static fromArtifact(state: ModelState): Ease {
    if (state.kind !== 'ease') throw new Error(`expected an "ease" artifact, got "${state.kind}"`);
    const model = new Ease(state.params as Partial<EaseOptions>);
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const weights = blobOf(state.blobs, 'weights', Float32Array);
    if (weights.length !== data.items * data.items)
      throw new Error(`ease: weights hold ${weights.length} values for ${data.items} items`);
    model.b = weights;
    model.setInteractions(data);
    return model;
  }
}
