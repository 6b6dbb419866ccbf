import type { ModelState } from '@encore/model-artifact';
import { ItemWeightsRecommender } from './item-weights-recommender';

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

  protected penalise(g: Float64Array, n: number): undefined {
    for (let i = 0; i < n; i++) g[i * n + i] += this.options.regularization;
    return undefined;
  }

  /** B = I − P·diagMat(1/diag(P)): zero on the diagonal, −P[i, j]/P[j, j] off it. */
  protected weightsOf(p: Float64Array, n: number): Float32Array {
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        // P's inverse is kept in the lower triangle only.
        b[ri + j] = -(j < i ? p[ri + j] : p[j * n + i]) / p[j * n + j];
      }
    }
    return b;
  }

  static fromArtifact(state: ModelState): Ease {
    return ItemWeightsRecommender.restore(new Ease(state.params as Partial<EaseOptions>), state);
  }
}
