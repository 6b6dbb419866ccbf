import type { ModelState } from '@encore/model-artifact';
import { ItemWeightsRecommender } from './item-weights-recommender';

export interface DlaeOptions {
  /** λ: the part of the penalty every item gets, added to the Gram's diagonal. Default 150. */
  regularization: number;
  /**
   * p of the input dropout the penalty stands for (0 ≤ p < 1): item j's penalty grows by p/(1 − p)·G[j, j].
   * A constant λ is negligible next to a popular item's G[j, j], so without this B drifts towards the
   * identity for exactly the items that matter most. 0 leaves λ alone. Default 0.5.
   */
  dropout: number;
  /**
   * Constrain B's diagonal to zero, as EASE does (Steck's emphasised denoising, EDLAE, full rank).
   * Default false: no constraint, the dropout penalty alone keeps B away from the identity.
   */
  zeroDiagonal: boolean;
  /**
   * γ: user u's row weighs |I_u|^(−γ) in the Gram, so the co-occurrences of a few very active users
   * do not outweigh everyone else's. 0 weighs every user alike. Default 0.25.
   */
  userWeightExponent: number;
  /** Train and score on 1 where the value is positive (default) instead of the values themselves. */
  binarize: boolean;
  /** Largest item count accepted (a dense items × items fit, as for EASE). Default 10,000. */
  maxItems: number;
}

/** The best binarised setting on MovieLens 100K in 20-fold CV inside the training part (see @encore/model-presets). */
const DEFAULTS: DlaeOptions = {
  regularization: 150,
  dropout: 0.5,
  zeroDiagonal: false,
  userWeightExponent: 0.25,
  binarize: true,
  maxItems: 10_000,
};

/**
 * DLAE (Steck 2020, "Autoencoders that don't overfit towards the identity"): the closed-form linear
 * item-item autoencoder trained with dropout on its input, which amounts to the L2 penalty
 * Λ = λI + p/(1 − p)·diagMat(diag(G)) on B. With G = XᵀWX (W: the per-user weights) and P = (G + Λ)⁻¹,
 *
 *   B = I − P·Λ                              (DLAE), or
 *   B = I − P·diagMat(1/diag(P))             (zeroDiagonal: EDLAE; with p = 0 and γ = 0 this is EASE).
 *
 * Scores are x_u·B. The diagonal of the unconstrained B is the item's vote for itself, which only
 * lifts items the user has seen and recommend() leaves those out. Costs as EASE: one dense SPD inverse
 * (n³/2 multiply-adds, 8·n² bytes while fitting, 4·n² bytes kept).
 */
export class Dlae extends ItemWeightsRecommender {
  readonly kind = 'dlae';
  readonly options: DlaeOptions;

  constructor(options: Partial<DlaeOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    const { regularization, dropout, userWeightExponent } = this.options;
    if (!(regularization > 0)) throw new Error(`dlae: regularization must be > 0, got ${regularization}`);
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`dlae: dropout must be in [0, 1), got ${dropout}`);
    if (!Number.isFinite(userWeightExponent))
      throw new Error(`dlae: userWeightExponent must be a finite number, got ${userWeightExponent}`);
  }

  protected override rowWeightExponent(): number {
    return this.options.userWeightExponent;
  }

  /** λ + p/(1 − p)·G[j, j] on item j's diagonal. */
  protected penalise(g: Float64Array, n: number): Float64Array {
    const penalty = new Float64Array(n);
    const { regularization, dropout } = this.options;
    const odds = dropout / (1 - dropout);
    for (let j = 0; j < n; j++) {
      penalty[j] = regularization + odds * g[j * n + j];
      g[j * n + j] += penalty[j];
    }
    return penalty;
  }

  protected weightsOf(p: Float64Array, n: number, penalty: Float64Array): Float32Array {
    return this.options.zeroDiagonal ? zeroDiagonalWeights(p, n) : dropoutWeights(p, penalty, n);
  }

  static fromArtifact(state: ModelState): Dlae {
    return ItemWeightsRecommender.restore(new Dlae(state.params as Partial<DlaeOptions>), state);
  }
}

/** P's lower triangle holds the symmetric inverse. */
function inverseAt(p: Float64Array, n: number, i: number, j: number): number {
  return j <= i ? p[i * n + j] : p[j * n + i];
}

/** B = I − P·Λ. */
function dropoutWeights(p: Float64Array, penalty: Float64Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < n; j++) b[ri + j] = (i === j ? 1 : 0) - inverseAt(p, n, i, j) * penalty[j];
  }
  return b;
}

/** B = I − P·diagMat(1/diag(P)): zero on the diagonal, −P[i, j]/P[j, j] off it. */
function zeroDiagonalWeights(p: Float64Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < n; j++) if (i !== j) b[ri + j] = -inverseAt(p, n, i, j) / p[j * n + j];
  }
  return b;
}
