import {
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  type FitReport,
  type Reason,
  type Scored,
} from '@encore/features';
import { CsrMatrix, TopK } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';

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
export class Rp3Beta extends ScoringRecommender {
  readonly kind = 'rp3beta';
  readonly options: Rp3BetaOptions;
  private nbrs: CsrMatrix | null = null;

  constructor(options: Partial<Rp3BetaOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    const { alpha, beta, neighbours } = this.options;
    if (!(alpha > 0 && Number.isFinite(alpha))) throw new Error(`rp3beta: alpha must be > 0, got ${alpha}`);
    if (!(beta >= 0 && Number.isFinite(beta))) throw new Error(`rp3beta: beta must be ≥ 0, got ${beta}`);
    if (!(neighbours >= 1) || !Number.isInteger(neighbours))
      throw new Error(`rp3beta: neighbours must be an integer ≥ 1, got ${neighbours}`);
  }

  /** items × items: row i holds i's kept neighbours (ascending index) and their W[i, j]. */
  get neighbours(): CsrMatrix {
    return assertFitted(this.kind, this.nbrs);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const m = data.matrix;
    const x = new Float32Array(m.nnz);
    for (let p = 0; p < m.nnz; p++) x[p] = this.value(m.values[p]);
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

    this.nbrs = this.walk(byUser, userStep, byItem, itemStep, penalty);
    this.setInteractions(data);
    return {
      kind: this.kind,
      users: data.users,
      items: data.items,
      nnz: data.nnz,
      elapsedMs: performance.now() - start,
      details: { neighbourEntries: this.nbrs.nnz },
    };
  }

  private value(v: number): number {
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
    const rowPtr = new Int32Array(n + 1);
    let colIdx = new Int32Array(Math.min(n * neighbours, 1 << 20) || 1);
    let values = new Float32Array(colIdx.length);
    let nnz = 0;
    const order = new Int32Array(neighbours);
    const kept = new Float64Array(n);

    for (let i = 0; i < n; i++) {
      rowPtr[i] = nnz;
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
      for (let t = 0; t < best.length; t++) {
        order[t] = best[t].index;
        kept[best[t].index] = best[t].score;
        sum += best[t].score;
      }
      const scale = normalizeRows && sum > 0 ? 1 / sum : 1;
      // Ascending columns so a (seed, item) weight is a binary search.
      const row = order.subarray(0, best.length).sort();
      if (nnz + row.length > colIdx.length) {
        const size = Math.max(colIdx.length * 2, nnz + row.length);
        colIdx = grow(colIdx, new Int32Array(size));
        values = grow(values, new Float32Array(size));
      }
      for (let t = 0; t < row.length; t++) {
        colIdx[nnz] = row[t];
        values[nnz++] = kept[row[t]] * scale;
      }
    }
    rowPtr[n] = nnz;
    return new CsrMatrix(n, n, rowPtr, colIdx.slice(0, nnz), values.slice(0, nnz));
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const data = this.interactions;
    return this.scoreInteractions(data.seen(user), data.values(user), out);
  }

  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    const nb = this.neighbours;
    assertScoreBuffer(this.kind, out, nb.rows);
    out.fill(0, 0, nb.rows);
    for (let p = 0; p < items.length; p++) {
      const x = this.value(values[p]);
      if (x === 0) continue;
      const i = items[p];
      for (let q = nb.rowPtr[i]; q < nb.rowPtr[i + 1]; q++) out[nb.colIdx[q]] += x * nb.values[q];
    }
    return out;
  }

  protected explain(user: number, item: number): Reason {
    const nb = this.neighbours;
    const data = this.interactions;
    const seen = data.seen(user);
    const values = data.values(user);
    let best = -1;
    let bestScore = 0;
    for (let p = 0; p < seen.length; p++) {
      const s = this.value(values[p]) * nb.get(seen[p], item);
      if (s > bestScore) {
        bestScore = s;
        best = seen[p];
      }
    }
    return best >= 0 ? { source: this.kind, seedItem: best } : { source: this.kind };
  }

  /** The item's kept neighbours, strongest walk first. */
  similarItems(item: number, k: number): Scored[] {
    const nb = this.neighbours;
    const heap = new TopK(k);
    for (let q = nb.rowPtr[item]; q < nb.rowPtr[item + 1]; q++) heap.push(nb.colIdx[q], nb.values[q]);
    return heap
      .toSorted()
      .map((s) => ({ index: s.index, score: s.score, reason: { source: this.kind, seedItem: item } }));
  }

  toArtifact(): ModelState {
    const nb = this.neighbours;
    const { blobs, meta } = this.interactions.toState();
    return {
      kind: this.kind,
      params: { ...this.options },
      blobs: {
        ...blobs,
        'neighbours.rowPtr': nb.rowPtr,
        'neighbours.colIdx': nb.colIdx,
        'neighbours.values': nb.values,
      },
      meta,
    };
  }

  static fromArtifact(state: ModelState): Rp3Beta {
    if (state.kind !== 'rp3beta') throw new Error(`expected an "rp3beta" artifact, got "${state.kind}"`);
    const model = new Rp3Beta(state.params as Partial<Rp3BetaOptions>);
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    model.nbrs = new CsrMatrix(
      data.items,
      data.items,
      blobOf(state.blobs, 'neighbours.rowPtr', Int32Array),
      blobOf(state.blobs, 'neighbours.colIdx', Int32Array),
      blobOf(state.blobs, 'neighbours.values', Float32Array),
    );
    model.setInteractions(data);
    return model;
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

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
