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
import { CsrMatrix, Rng, TopK, matVec } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { invertSpdInPlace } from './spd-inverse';

export interface ImplicitAlsOptions {
  /** Latent dimensions. Default 64. */
  factors: number;
  /** λ on both factor matrices. Default 30 (tuned with alpha on MovieLens 100K as binary plays). */
  regularization: number;
  /** Confidence slope: c = 1 + α·r ('linear') or 1 + α·log(1 + r/ε) ('log', for raw play counts). Default 3. */
  alpha: number;
  scaling: 'linear' | 'log';
  /** ε of the log scaling. Default 1. */
  epsilon: number;
  /** Alternating sweeps (items, then users). Default 15. */
  iterations: number;
  /** Conjugate-gradient steps per row and sweep. Default 3. */
  cgSteps: number;
  seed: number;
  /** Record the full weighted loss after every iteration in the FitReport (≈ 7% extra time). Default false. */
  computeLoss: boolean;
}

const DEFAULTS: ImplicitAlsOptions = {
  factors: 64,
  regularization: 30,
  alpha: 3,
  scaling: 'linear',
  epsilon: 1,
  iterations: 15,
  cgSteps: 3,
  seed: 42,
  computeLoss: false,
};

/** One orientation of the training data: CSR pattern plus (c − 1) and the 0/1 preference per entry. */
interface Side {
  rows: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  /** c − 1 = α·|r| (or its log form): the extra confidence of an observed entry. */
  extra: Float32Array;
  /** p = 1 where r > 0. A negative r is confident evidence of p = 0 (as in the `implicit` library). */
  pref: Uint8Array;
}

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): minimise
 * Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all pairs, observed or not.
 * Each row update solves (YᵀY + Yᵀ(Cᵘ − I)Y + λI) x_u = YᵀCᵘp_u approximately with a few
 * conjugate-gradient steps warm-started from the previous x_u (Takács, Pilászy & Tikk 2011,
 * as in the `implicit` library): YᵀY is shared by all rows, so a row costs O(k²) plus O(k)
 * per observed entry. Items are updated before users in each sweep, so user vectors are
 * always fitted to the final item vectors — the same problem foldInUser() solves exactly.
 */
export class ImplicitAls extends ScoringRecommender {
  readonly kind = 'als';
  readonly options: ImplicitAlsOptions;
  private x: Float32Array | null = null;
  private y: Float32Array | null = null;
  private itemGramCache: Float64Array | null = null;
  private itemNormCache: Float32Array | null = null;

  constructor(options: Partial<ImplicitAlsOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    const o = this.options;
    if (!(o.factors >= 1) || !Number.isInteger(o.factors))
      throw new Error(`als: factors must be an integer ≥ 1, got ${o.factors}`);
    if (!(o.regularization > 0)) throw new Error(`als: regularization must be > 0, got ${o.regularization}`);
    if (!(o.alpha >= 0)) throw new Error(`als: alpha must be ≥ 0, got ${o.alpha}`);
    if (!(o.cgSteps >= 1) || !(o.iterations >= 0)) throw new Error(`als: need cgSteps ≥ 1 and iterations ≥ 0`);
  }

  /** users × factors, row-major. */
  get userFactors(): Float32Array {
    return assertFitted(this.kind, this.x);
  }

  /** items × factors, row-major. */
  get itemFactors(): Float32Array {
    return assertFitted(this.kind, this.y);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const k = this.options.factors;
    const rng = new Rng(this.options.seed);
    const x = new Float64Array(data.users * k);
    const y = new Float64Array(data.items * k);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 0.01;
    for (let i = 0; i < y.length; i++) y[i] = rng.normal() * 0.01;
    const byUser = this.side(data.matrix);
    const byItem = this.side(data.itemUsers);
    const solver = new RowSolver(k, this.options.cgSteps);
    const scratch = new Float64Array(Math.max(data.users, data.items) * k);
    const loss: number[] = [];
    const reg = this.options.regularization;
    for (let it = 0; it < this.options.iterations; it++) {
      solver.solveAll(y, byItem, x, gramOf(x, data.users, k, reg, scratch));
      const yGram = gramOf(y, data.items, k, reg, scratch);
      solver.solveAll(x, byUser, y, yGram);
      if (this.options.computeLoss) loss.push(lossOf(x, y, byUser, yGram, k, reg, data.items));
    }
    this.x = Float32Array.from(x);
    this.y = Float32Array.from(y);
    this.itemGramCache = null;
    this.itemNormCache = null;
    this.setInteractions(data);
    return {
      kind: this.kind,
      users: data.users,
      items: data.items,
      nnz: data.nnz,
      elapsedMs: performance.now() - start,
      details: { loss, iterations: this.options.iterations, factors: k },
    };
  }

  private side(m: CsrMatrix): Side {
    const { alpha, scaling, epsilon } = this.options;
    const extra = new Float32Array(m.nnz);
    const pref = new Uint8Array(m.nnz);
    for (let p = 0; p < m.nnz; p++) {
      const v = m.values[p];
      const r = Math.abs(v);
      extra[p] = scaling === 'log' ? alpha * Math.log1p(r / epsilon) : alpha * r;
      pref[p] = v > 0 ? 1 : 0;
    }
    return { rows: m.rows, rowPtr: m.rowPtr, colIdx: m.colIdx, extra, pref };
  }

  private confidenceExtra(v: number): number {
    const { alpha, scaling, epsilon } = this.options;
    const r = Math.abs(v);
    return scaling === 'log' ? alpha * Math.log1p(r / epsilon) : alpha * r;
  }

  /** YᵀY + λI for the current item factors (fold-in), computed once. */
  private get itemGram(): Float64Array {
    this.itemGramCache ??= gramOf(
      this.itemFactors,
      this.interactions.items,
      this.options.factors,
      this.options.regularization,
    );
    return this.itemGramCache;
  }

  /**
   * A user vector from interactions alone, without retraining: the exact least-squares
   * solution of the user step, (YᵀY + Yᵀ(Cᵘ − I)Y + λI) x = YᵀCᵘp, by a k×k Cholesky solve.
   */
  foldInUser(items: ArrayLike<number>, values: ArrayLike<number>): Float32Array {
    const y = this.itemFactors;
    const k = this.options.factors;
    const a = this.itemGram.slice();
    const b = new Float64Array(k);
    for (let p = 0; p < items.length; p++) {
      const v = values[p];
      const extra = this.confidenceExtra(v);
      const off = items[p] * k;
      if (extra !== 0) {
        for (let r = 0; r < k; r++) {
          const yr = extra * y[off + r];
          for (let c = 0; c < k; c++) a[r * k + c] += yr * y[off + c];
        }
      }
      if (v > 0) for (let r = 0; r < k; r++) b[r] += (1 + extra) * y[off + r];
    }
    const chol = new CholeskyDecomposition(Matrix.from1DArray(k, k, a));
    if (!chol.isPositiveDefinite()) throw new Error('als: fold-in system is not positive definite');
    return Float32Array.from(chol.solve(Matrix.columnVector(b)).getColumn(0));
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const k = this.options.factors;
    return this.scoreVector(this.userFactors.subarray(user * k, (user + 1) * k), out);
  }

  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    return this.scoreVector(this.foldInUser(items, values), out);
  }

  private scoreVector(xu: Float32Array, out: Float32Array): Float32Array {
    const n = this.interactions.items;
    assertScoreBuffer(this.kind, out, n);
    return matVec(this.itemFactors, this.options.factors, xu, out);
  }

  /** The seen item with the largest c_ui·(y_i·y_j): a cheap stand-in for Hu et al.'s exact attribution. */
  protected explain(user: number, item: number): Reason {
    const y = this.itemFactors;
    const k = this.options.factors;
    const data = this.interactions;
    const oj = item * k;
    return strongestSeed(this.kind, data.seen(user), data.values(user), (seed, value) => {
      if (!(value > 0)) return 0;
      const oi = seed * k;
      let s = 0;
      for (let f = 0; f < k; f++) s += y[oi + f] * y[oj + f];
      return s * (1 + this.confidenceExtra(value));
    });
  }

  /** Items whose factor vectors have the highest cosine with `item`'s. */
  similarItems(item: number, k: number): Scored[] {
    const y = this.itemFactors;
    const f = this.options.factors;
    const n = this.interactions.items;
    if (!this.itemNormCache) {
      const norms = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < f; j++) s += y[i * f + j] * y[i * f + j];
        norms[i] = Math.sqrt(s);
      }
      this.itemNormCache = norms;
    }
    const norms = this.itemNormCache;
    const heap = new TopK(k);
    const oi = item * f;
    if (norms[item] === 0) return [];
    for (let j = 0; j < n; j++) {
      if (j === item || norms[j] === 0) continue;
      let s = 0;
      for (let d = 0; d < f; d++) s += y[oi + d] * y[j * f + d];
      heap.push(j, s / (norms[item] * norms[j]));
    }
    return heap
      .toSorted()
      .map((s) => ({ index: s.index, score: s.score, reason: { source: this.kind, seedItem: item } }));
  }

  toArtifact(): ModelState {
    const { blobs, meta } = this.interactions.toState();
    return {
      kind: this.kind,
      params: { ...this.options },
      blobs: { ...blobs, userFactors: this.userFactors, itemFactors: this.itemFactors },
      meta,
    };
  }

  static fromArtifact(state: ModelState): ImplicitAls {
    if (state.kind !== 'als') throw new Error(`expected an "als" artifact, got "${state.kind}"`);
    const model = new ImplicitAls(state.params as Partial<ImplicitAlsOptions>);
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const k = model.options.factors;
    const x = blobOf(state.blobs, 'userFactors', Float32Array);
    const y = blobOf(state.blobs, 'itemFactors', Float32Array);
    if (x.length !== data.users * k || y.length !== data.items * k) {
      throw new Error(
        `als: factor blobs hold ${x.length} and ${y.length} values for ${data.users} users, ${data.items} items × ${k} factors`,
      );
    }
    model.x = x;
    model.y = y;
    model.setInteractions(data);
    return model;
  }
}

/**
 * FᵀF + λI (k×k, row-major, Float64) for a row-major rows × k factor matrix. Goes through a
 * column-major copy (reusable via `scratch`) so each entry is a contiguous dot product, four
 * entries per pass over column a; accumulating row outer products instead stores to the k×k
 * result on every multiply-add and runs ~3× slower.
 */
function gramOf(
  f: Float32Array | Float64Array,
  rows: number,
  k: number,
  reg: number,
  scratch?: Float64Array,
): Float64Array {
  const cols = scratch && scratch.length >= rows * k ? scratch : new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let a = 0; a < k; a++) cols[a * rows + r] = f[r * k + a];
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const ca = a * rows;
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const c0 = b * rows;
      const c1 = c0 + rows;
      const c2 = c1 + rows;
      const c3 = c2 + rows;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < rows; r++) {
        const v = cols[ca + r];
        s0 += v * cols[c0 + r];
        s1 += v * cols[c1 + r];
        s2 += v * cols[c2 + r];
        s3 += v * cols[c3 + r];
      }
      g[a * k + b] = s0;
      g[a * k + b + 1] = s1;
      g[a * k + b + 2] = s2;
      g[a * k + b + 3] = s3;
    }
    for (; b <= a; b++) g[a * k + b] = dotPair(cols, ca, cols, b * rows, rows);
  }
  for (let a = 0; a < k; a++) {
    g[a * k + a] += reg;
    for (let b = 0; b < a; b++) g[b * k + a] = g[a * k + b];
  }
  return g;
}

/**
 * The full objective over every (user, item) pair in O(users·k² + nnz·k): unobserved pairs
 * contribute (x·y)², so Σ_all (x·y)² + λ‖X‖² = Σ_u xᵀ(YᵀY + λI)x, and observed pairs are
 * corrected by c(p − s)² − s². Reported per pair so datasets compare.
 */
function lossOf(
  x: Float64Array,
  y: Float64Array,
  byUser: Side,
  yGramReg: Float64Array,
  k: number,
  reg: number,
  items: number,
): number {
  let total = 0;
  for (let u = 0; u < byUser.rows; u++) {
    const ou = u * k;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += yGramReg[a * k + b] * x[ou + b];
      total += x[ou + a] * s;
    }
    for (let p = byUser.rowPtr[u]; p < byUser.rowPtr[u + 1]; p++) {
      const oi = byUser.colIdx[p] * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += x[ou + a] * y[oi + a];
      const c = 1 + byUser.extra[p];
      const d = byUser.pref[p] - s;
      total += c * d * d - s * s;
    }
  }
  let yNorm = 0;
  for (let i = 0; i < y.length; i++) yNorm += y[i] * y[i];
  return (total + reg * yNorm) / (byUser.rows * items);
}

/** a[oa … oa+k) · b[0 … k), four accumulators so the multiply-adds overlap. */
function dotAt(a: Float64Array, oa: number, b: Float64Array, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < k; j += 4) {
    s0 += a[oa + j] * b[j];
    s1 += a[oa + j + 1] * b[j + 1];
    s2 += a[oa + j + 2] * b[j + 2];
    s3 += a[oa + j + 3] * b[j + 3];
  }
  for (; j < k; j++) s0 += a[oa + j] * b[j];
  return s0 + s1 + s2 + s3;
}

/** a[oa … oa+k) · b[ob … ob+k) */
function dotPair(a: Float64Array, oa: number, b: Float64Array, ob: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < k; j += 4) {
    s0 += a[oa + j] * b[ob + j];
    s1 += a[oa + j + 1] * b[ob + j + 1];
    s2 += a[oa + j + 2] * b[ob + j + 2];
    s3 += a[oa + j + 3] * b[ob + j + 3];
  }
  for (; j < k; j++) s0 += a[oa + j] * b[ob + j];
  return s0 + s1 + s2 + s3;
}

/** y[0 … k) += alpha · x[ox … ox+k) */
function axpyAt(alpha: number, x: Float64Array, ox: number, y: Float64Array, k: number): void {
  let j = 0;
  for (; j + 3 < k; j += 4) {
    y[j] += alpha * x[ox + j];
    y[j + 1] += alpha * x[ox + j + 1];
    y[j + 2] += alpha * x[ox + j + 2];
    y[j + 3] += alpha * x[ox + j + 3];
  }
  for (; j < k; j++) y[j] += alpha * x[ox + j];
}

/**
 * Solves every row of one half-sweep. Rows with many observations take a few warm-started
 * conjugate-gradient steps, O((steps+1)·(k² + 2·n·k)). Rows with few observations — most
 * items in a long-tailed catalog — are solved exactly and more cheaply through the Woodbury
 * identity: with G = YᵀY + λI and S the row's n observations,
 *   x = G⁻¹·Y_Sᵀ·z,  where (Y_S·G⁻¹·Y_Sᵀ + E⁻¹)·z = E⁻¹·c∘p   (E = diag(c − 1)),
 * an n×n solve, O(n²·k/2 + n³/6), after one k×k inverse of G and G⁻¹·y for the rows involved.
 * Training runs on Float64 factor copies: no conversions in the inner loops and rounding only
 * once when the model keeps the result.
 */
class RowSolver {
  private readonly xv: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly ap: Float64Array;
  private small = new Float64Array(0);
  private smallRhs = new Float64Array(0);
  private readonly ginvY = new Map<number, Float64Array>();

  constructor(
    private readonly k: number,
    private readonly steps: number,
  ) {
    this.xv = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
  }

  /** Updates every row of `target` against the fixed `other` factors; `gram` = otherᵀother + λI. */
  solveAll(target: Float64Array, side: Side, other: Float64Array, gram: Float64Array): void {
    const k = this.k;
    const exact = this.planExact(side);
    let ginvY: Float64Array | null = null;
    if (exact.rows > 0) ginvY = this.gramInverseTimes(other, gram, side, exact.mask);
    for (let row = 0; row < side.rows; row++) {
      if (ginvY && exact.mask[row] && this.solveExact(target, row * k, side, row, other, ginvY)) continue;
      this.solveCg(target, row * k, side, row, other, gram);
    }
  }

  /** Rows whose exact solve is cheaper than the CG steps (and well defined: every positive entry has c > 1). */
  private planExact(side: Side): { mask: Uint8Array; rows: number } {
    const k = this.k;
    const mask = new Uint8Array(side.rows);
    let rows = 0;
    for (let row = 0; row < side.rows; row++) {
      let n = 0;
      let ok = true;
      for (let q = side.rowPtr[row]; q < side.rowPtr[row + 1]; q++) {
        if (side.extra[q] > 0) n++;
        else if (side.pref[q]) ok = false;
      }
      const exactCost = (n * n * k) / 2 + (n * n * n) / 6 + 2 * n * k;
      const cgCost = (this.steps + 1) * (k * k + 2 * n * k);
      if (ok && exactCost < cgCost) {
        mask[row] = 1;
        rows++;
      }
    }
    return { mask, rows };
  }

  /** G⁻¹·y for every `other` row observed by an exactly-solved row (others stay zero). */
  private gramInverseTimes(other: Float64Array, gram: Float64Array, side: Side, exact: Uint8Array): Float64Array {
    const k = this.k;
    const ginv = invertSpdInPlace(gram.slice(), k);
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) ginv[a * k + b] = ginv[b * k + a];
    const needed = new Uint8Array(other.length / k);
    for (let row = 0; row < side.rows; row++) {
      if (!exact[row]) continue;
      for (let q = side.rowPtr[row]; q < side.rowPtr[row + 1]; q++) if (side.extra[q] > 0) needed[side.colIdx[q]] = 1;
    }
    // One buffer per side (users, items), reused across iterations; stale rows are never read.
    let out = this.ginvY.get(other.length);
    if (!out) this.ginvY.set(other.length, (out = new Float64Array(other.length)));
    const y = new Float64Array(k);
    for (let t = 0; t < needed.length; t++) {
      if (!needed[t]) continue;
      for (let a = 0; a < k; a++) y[a] = other[t * k + a];
      for (let a = 0; a < k; a++) out[t * k + a] = dotAt(ginv, a * k, y, k);
    }
    return out;
  }

  /** Exact Woodbury solve of one row; false (leave it to CG) if the small system is not positive definite. */
  private solveExact(
    target: Float64Array,
    ox: number,
    side: Side,
    row: number,
    other: Float64Array,
    ginvY: Float64Array,
  ): boolean {
    const k = this.k;
    const { rowPtr, colIdx, extra, pref } = side;
    let n = 0;
    for (let q = rowPtr[row]; q < rowPtr[row + 1]; q++) if (extra[q] > 0) n++;
    if (this.small.length < n * n) {
      this.small = new Float64Array(n * n);
      this.smallRhs = new Float64Array(n);
    }
    const m = this.small;
    const z = this.smallRhs;
    // M = Y_S·G⁻¹·Y_Sᵀ + E⁻¹ (lower triangle), u = E⁻¹·c∘p.
    for (let qa = rowPtr[row], a = 0; qa < rowPtr[row + 1]; qa++) {
      const ea = extra[qa];
      if (!(ea > 0)) continue;
      const wa = colIdx[qa] * k;
      for (let qb = rowPtr[row], b = 0; b <= a; qb++) {
        if (!(extra[qb] > 0)) continue;
        m[a * n + b] = dotPair(ginvY, wa, other, colIdx[qb] * k, k);
        b++;
      }
      m[a * n + a] += 1 / ea;
      z[a] = pref[qa] ? (1 + ea) / ea : 0;
      a++;
    }
    if (!choleskySolveInPlace(m, z, n)) return false;
    for (let a = 0; a < k; a++) this.xv[a] = 0;
    for (let q = rowPtr[row], a = 0; q < rowPtr[row + 1]; q++) {
      if (!(extra[q] > 0)) continue;
      axpyAt(z[a++], ginvY, colIdx[q] * k, this.xv, k);
    }
    for (let a = 0; a < k; a++) target[ox + a] = this.xv[a];
    return true;
  }

  /** A few conjugate-gradient steps on one row, warm-started from its current value. */
  private solveCg(
    target: Float64Array,
    ox: number,
    side: Side,
    row: number,
    other: Float64Array,
    gram: Float64Array,
  ): void {
    const k = this.k;
    const { xv, r, p, ap } = this;
    const { rowPtr, colIdx, extra, pref } = side;
    const start = rowPtr[row];
    const end = rowPtr[row + 1];
    for (let a = 0; a < k; a++) xv[a] = target[ox + a];
    // r = b − A·x, with A = G + Σ (c−1)·y·yᵀ and b = Σ c·p·y.
    for (let a = 0; a < k; a++) r[a] = -dotAt(gram, a * k, xv, k);
    for (let q = start; q < end; q++) {
      const e = extra[q];
      const pr = pref[q];
      if (e === 0 && pr === 0) continue;
      const oy = colIdx[q] * k;
      axpyAt((pr ? 1 + e : 0) - e * dotAt(other, oy, xv, k), other, oy, r, k);
    }
    let rs = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a];
      rs += r[a] * r[a];
    }
    if (rs < 1e-20) return;
    for (let step = 0; step < this.steps; step++) {
      for (let a = 0; a < k; a++) ap[a] = dotAt(gram, a * k, p, k);
      for (let q = start; q < end; q++) {
        const e = extra[q];
        if (e === 0) continue;
        const oy = colIdx[q] * k;
        axpyAt(e * dotAt(other, oy, p, k), other, oy, ap, k);
      }
      const pap = dotAt(p, 0, ap, k);
      if (!(pap > 0)) break;
      const alpha = rs / pap;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        xv[a] += alpha * p[a];
        r[a] -= alpha * ap[a];
        rsNew += r[a] * r[a];
      }
      if (rsNew < 1e-20) break;
      const beta = rsNew / rs;
      for (let a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
      rs = rsNew;
    }
    for (let a = 0; a < k; a++) target[ox + a] = xv[a];
  }
}

/** Solves M·z = u in place (z holds u on entry) for a small SPD M given by its lower triangle; false if not SPD. */
function choleskySolveInPlace(m: Float64Array, z: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j];
      for (let q = 0; q < j; q++) s -= m[i * n + q] * m[j * n + q];
      if (i === j) {
        if (!(s > 1e-12)) return false;
        m[i * n + i] = Math.sqrt(s);
      } else {
        m[i * n + j] = s / m[j * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    let s = z[i];
    for (let q = 0; q < i; q++) s -= m[i * n + q] * z[q];
    z[i] = s / m[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let q = i + 1; q < n; q++) s -= m[q * n + i] * z[q];
    z[i] = s / m[i * n + i];
  }
  return true;
}
