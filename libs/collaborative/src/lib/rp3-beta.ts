import type { FitReport, InteractionMatrix } from '@encore/features';
import { CsrMatrix, TopK } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';
import { NeighbourhoodRecommender, NeighbourRowsBuilder } from './neighbourhood-recommender';

export interface Rp3BetaOptions {
  /** Exponent on both transition probabilities (α of P3α); 1 is the plain random walk. Default 1. */
  alpha: number;
  /** Popularity penalty: the walk's arrival probability at item j is divided by popularity(j)^β. Default 0.3. */
  beta: number;
  /** Neighbours kept per item (the largest positive similarities). Default 100. */
  neighbours: number;
  /**
   * Walk over 1 where the value is positive (default) instead of the values themselves; scoring
   * uses the same transform, so a rating of 5 then counts no more than a rating of 1.
   */
  binarize: boolean;
  /** Divide each kept neighbour row by its sum, so every seen item casts a vote of total weight 1. Default false. */
  normalizeRows: boolean;
}

const DEFAULTS: Rp3BetaOptions = { alpha: 1, beta: 0.3, neighbours: 100, binarize: true, normalizeRows: false };

/**
 * RP3β (Christoffel et al. 2015; Paudel et al. 2017; the strong baseline of Dacrema et al. 2019):
 * a three-step random walk item → user → item on the bipartite interaction graph, with the
 * arrival probability re-ranked by popularity so the walk does not always end on blockbusters:
 *
 *   W[i, j] = Σ_u P(i→u)^α · P(u→j)^α / pop(j)^β   (i ≠ j),
 *
 * P(i→u) = x_ui / Σ_v x_vi, P(u→j) = x_uj / Σ_l x_ul, pop(j) = number of users with x_uj > 0.
 * Each item keeps its `neighbours` largest W[i, ·] as a sparse row; a user's score for j is
 * Σ_{i seen} x_ui · W[i, j]. Fitting walks item → its users → their items (Σ_u |row_u|² work),
 * never a dense items² matrix.
 */
export class Rp3Beta extends NeighbourhoodRecommender {
  readonly kind = 'rp3beta';
  readonly options: Rp3BetaOptions;

  constructor(options: Partial<Rp3BetaOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    const { alpha, beta, neighbours } = this.options;
    if (!(alpha > 0 && Number.isFinite(alpha))) throw new Error(`rp3beta: alpha must be > 0, got ${alpha}`);
    if (!(beta >= 0 && Number.isFinite(beta))) throw new Error(`rp3beta: beta must be ≥ 0, got ${beta}`);
    if (!(neighbours >= 1) || !Number.isInteger(neighbours))
      throw new Error(`rp3beta: neighbours must be an integer ≥ 1, got ${neighbours}`);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const m = data.matrix;
    const x = new Float32Array(m.nnz);
    for (let p = 0; p < m.nnz; p++) x[p] = this.scoreValue(m.values[p]);
    const byUser = new CsrMatrix(m.rows, m.cols, m.rowPtr, m.colIdx, x);
    const byItem = byUser.transpose();
    const { alpha, beta } = this.options;

    // P(u→j): each user's row divided by its sum.
    const userStep = new Float32Array(byUser.nnz);
    for (let u = 0; u < byUser.rows; u++) rowStochastic(byUser, u, alpha, userStep);
    // P(i→u): each item's column (a row of the transpose) divided by its sum.
    const itemStep = new Float32Array(byItem.nnz);
    const penalty = new Float64Array(byItem.rows);
    for (let i = 0; i < byItem.rows; i++) {
      rowStochastic(byItem, i, alpha, itemStep);
      let degree = 0;
      for (let p = byItem.rowPtr[i]; p < byItem.rowPtr[i + 1]; p++) if (byItem.values[p] > 0) degree++;
      penalty[i] = degree > 0 ? Math.pow(degree, -beta) : 0;
    }

    return this.fitted(this.walk(byUser, userStep, byItem, itemStep, penalty), data, start);
  }

  protected scoreValue(v: number): number {
    if (this.options.binarize) return v > 0 ? 1 : 0;
    // A stored zero (seen, no preference) or a negative total is not a step of the walk.
    return v > 0 ? v : 0;
  }

  /** W's top rows: item i → its users (itemStep) → their items (userStep), scaled by the popularity penalty. */
  private walk(
    byUser: CsrMatrix,
    userStep: Float32Array,
    byItem: CsrMatrix,
    itemStep: Float32Array,
    penalty: Float64Array,
  ): CsrMatrix {
    const n = byItem.rows;
    const { neighbours, normalizeRows } = this.options;
    const acc = new Float64Array(n);
    const touchedMark = new Uint8Array(n);
    const touched = new Int32Array(n);
    const rows = new NeighbourRowsBuilder(n, neighbours);

    for (let i = 0; i < n; i++) {
      let nTouched = 0;
      for (let p = byItem.rowPtr[i]; p < byItem.rowPtr[i + 1]; p++) {
        const wi = itemStep[p];
        if (wi === 0) continue;
        const u = byItem.colIdx[p];
        for (let q = byUser.rowPtr[u]; q < byUser.rowPtr[u + 1]; q++) {
          const j = byUser.colIdx[q];
          if (!touchedMark[j]) {
            touchedMark[j] = 1;
            touched[nTouched++] = j;
          }
          acc[j] += wi * userStep[q];
        }
      }
      const heap = new TopK(neighbours);
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        const w = acc[j] * penalty[j];
        if (j !== i && w > 0) heap.push(j, w);
        acc[j] = 0;
        touchedMark[j] = 0;
      }
      const best = heap.toSorted();
      let sum = 0;
      for (let t = 0; t < best.length; t++) sum += best[t].score;
      const scale = normalizeRows && sum > 0 ? 1 / sum : 1;
      rows.push(best, scale);
    }
    return rows.build();
  }

  static fromArtifact(state: ModelState): Rp3Beta {
    return NeighbourhoodRecommender.restore(state, 'rp3beta', (p) => new Rp3Beta(p as Partial<Rp3BetaOptions>));
  }
}

/** out[p] = (value_p / Σ row)^α over row r's entries (zero sum: all zero). */
function rowStochastic(m: CsrMatrix, r: number, alpha: number, out: Float32Array): void {
  const start = m.rowPtr[r];
  const end = m.rowPtr[r + 1];
  let sum = 0;
  for (let p = start; p < end; p++) sum += m.values[p];
  for (let p = start; p < end; p++) {
    const share = sum > 0 ? m.values[p] / sum : 0;
    out[p] = alpha === 1 ? share : Math.pow(share, alpha);
  }
}
