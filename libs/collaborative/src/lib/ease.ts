import { InteractionMatrix, type FitReport } from '@encore/features';
import type { ModelState } from '@encore/model-artifact';
import { ItemWeightsRecommender } from './item-weights-recommender';
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
export class Ease extends ItemWeightsRecommender {
  readonly kind = 'ease';
  readonly options: EaseOptions;

  constructor(options: Partial<EaseOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.regularization > 0))
      throw new Error(`ease: regularization must be > 0, got ${this.options.regularization}`);
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

  static fromArtifact(state: ModelState): Ease {
    return ItemWeightsRecommender.restore(new Ease(state.params as Partial<EaseOptions>), state);
  }
}
