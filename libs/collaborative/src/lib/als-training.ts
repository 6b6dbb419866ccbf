import type { InteractionMatrix } from '@encore/features';
import { type CsrMatrix, Rng, createWasmMemory, wasmSimdSupported, type WasmMemory } from '@encore/linalg';
import { dotPair, jsAlsKernels, wasmAlsKernels, type AlsKernels } from './als-kernels';
import { invertSpdInPlace } from './spd-inverse';

/** What one implicit-ALS training run needs from the model options. */
export interface AlsTrainingOptions {
  factors: number;
  regularization: number;
  alpha: number;
  scaling: 'linear' | 'log';
  epsilon: number;
  iterations: number;
  cgSteps: number;
  seed: number;
  computeLoss: boolean;
}

/** How a run is executed (results depend only on `simd`, never on `parts` or `shared`). */
export interface AlsExecution {
  /** Tasks per phase: the number of threads that will run them. Default 1. */
  parts?: number;
  /** Build the state in shared memory, so worker threads can run tasks on it. Default false. */
  shared?: boolean;
  /** Use the WebAssembly SIMD kernels where the runtime has them (and factors is a multiple of 4). Default true. */
  simd?: boolean;
}

/** One orientation of the training data: CSR pattern plus (c − 1) and the 0/1 preference per entry. */
export interface AlsSide {
  rows: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  /** c − 1 = α·|r| (or its log form): the extra confidence of an observed entry. */
  extra: Float32Array;
  /** p = 1 where r > 0. A negative r is confident evidence of p = 0 (as in the `implicit` library). */
  pref: Uint8Array;
  /** 1 for rows solved exactly (Woodbury) rather than by conjugate gradient; fixed for the whole run. */
  exact: Uint8Array;
  exactRows: number;
  /** Rows of the other side that some exact row observes: the rows G⁻¹·y is needed for. */
  otherNeeded: Uint8Array;
  /** Estimated work of solving rows 0 … r−1, for splitting a sweep into equal shares. */
  costPrefix: Float64Array;
}

/**
 * Everything a training task reads and writes, as numbers and typed arrays in one buffer so the
 * state can be posted to worker threads: when the buffer is shared, every thread works on the
 * same memory and a task message is only this small object of views.
 */
export interface AlsTrainingState {
  factors: number;
  cgSteps: number;
  regularization: number;
  users: number;
  items: number;
  /** The memory all arrays below live in when the SIMD kernels run; null for the JavaScript kernels. */
  memory: WasmMemory | null;
  byUser: AlsSide;
  byItem: AlsSide;
  /** users × factors and items × factors, row-major. Float64 so CG rounds once, when the model keeps them. */
  x: Float64Array;
  y: Float64Array;
  /** The fixed factors column by column for the Gram matrix; each column padded to a multiple of 4 rows. */
  columns: Float64Array;
  /** Fixedᵀ·fixed + λI of the half-sweep in progress, k × k row-major. */
  gram: Float64Array;
  /** Its inverse, when the half-sweep has exact rows. */
  gramInverse: Float64Array;
  /** G⁻¹·y for the fixed rows the exact rows observe, max(users, items) × factors (other rows stale). */
  gramInverseTimesOther: Float64Array;
  /** Per task slot, four k-vectors for conjugate gradient: x, r, p and A·p. */
  scratch: Float64Array;
  /** The most observations of any exactly-solved row: the size of each slot's small system below. */
  exactMax: number;
  /** Per task slot, the exact solve's fixed rows (exactMax), n×n system (exactMax²) and right-hand side (exactMax). */
  exactRows: Int32Array;
  exactSystem: Float64Array;
  exactRhs: Float64Array;
}

/** Which factors a half-sweep updates: 'items' solves Y against fixed X, 'users' X against fixed Y. */
export type AlsHalf = 'items' | 'users';

/**
 * One independent piece of a training phase, over rows [from, to) of what the phase walks:
 * - `columns`: copy rows of the fixed factors into `columns`;
 * - `gram`: rows [from, to) of the lower triangle of fixedᵀ·fixed (before λ);
 * - `gram-inverse-times`: G⁻¹·y for fixed rows in the range that exact rows observe;
 * - `solve`: the row updates of the half-sweep.
 * Each task writes only its own rows (and its own scratch `slot`), so tasks of one phase may run
 * on different threads in any order with a result bit-for-bit that of running them in turn.
 */
export interface AlsTask {
  phase: 'columns' | 'gram' | 'gram-inverse-times' | 'solve';
  half: AlsHalf;
  from: number;
  to: number;
  slot: number;
}

/** wasm32 addresses 4 GiB; stay well inside it (a 1M-event, 90K-song run takes ~170 MB). */
const MAX_SIMD_BYTES = 2 ** 31;

/**
 * The implicit-ALS fit of Hu, Koren & Volinsky (2008), cut into phases of independent tasks so that
 * an app or adapter can spread them over threads while this library stays free of them. The run is
 * `phases()`: each yielded array is one phase whose tasks must all finish (runAlsTask, anywhere)
 * before the generator is resumed; the cheap serial steps (λI, the k×k inverse, the loss) run inside it.
 */
export class AlsTraining {
  readonly state: AlsTrainingState;
  readonly loss: number[] = [];
  readonly parts: number;

  constructor(
    data: InteractionMatrix,
    readonly options: AlsTrainingOptions,
    execution: AlsExecution = {},
  ) {
    const k = options.factors;
    this.parts = Math.max(1, Math.floor(execution.parts ?? 1));
    const larger = Math.max(data.users, data.items);
    const byUser = planSide(data.matrix, data.items, options);
    const byItem = planSide(data.itemUsers, data.users, options);
    const exactMax = Math.max(1, byUser.exactMax, byItem.exactMax);
    const strides = slotStrides(k, exactMax);
    const arena = new Arena();
    const layout = {
      x: arena.f64(data.users * k),
      y: arena.f64(data.items * k),
      columns: arena.f64(padTo4(larger) * k),
      gram: arena.f64(k * k),
      gramInverse: arena.f64(k * k),
      gramInverseTimesOther: arena.f64(larger * k),
      scratch: arena.f64(this.parts * strides.scratch),
      exactRows: arena.i32(this.parts * strides.exactRows),
      exactSystem: arena.f64(this.parts * strides.exactSystem),
      exactRhs: arena.f64(this.parts * strides.exactRhs),
      byUser: sideLayout(arena, byUser.side),
      byItem: sideLayout(arena, byItem.side),
    };
    const simd = (execution.simd ?? true) && k % 4 === 0 && arena.bytes <= MAX_SIMD_BYTES && wasmSimdSupported();
    const shared = execution.shared ?? false;
    let memory: WasmMemory | null = null;
    let buffer: ArrayBufferLike;
    if (simd) {
      memory = createWasmMemory(arena.bytes, shared);
      buffer = memory.buffer;
    } else {
      buffer = shared ? new SharedArrayBuffer(arena.bytes) : new ArrayBuffer(arena.bytes);
    }
    const f64 = (slot: Slot) => new Float64Array(buffer, slot.offset, slot.length);
    const x = f64(layout.x);
    const y = f64(layout.y);
    const rng = new Rng(options.seed);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 0.01;
    for (let i = 0; i < y.length; i++) y[i] = rng.normal() * 0.01;
    this.state = {
      factors: k,
      cgSteps: options.cgSteps,
      regularization: options.regularization,
      users: data.users,
      items: data.items,
      memory,
      byUser: placeSide(buffer, layout.byUser, byUser.side),
      byItem: placeSide(buffer, layout.byItem, byItem.side),
      x,
      y,
      columns: f64(layout.columns),
      gram: f64(layout.gram),
      gramInverse: f64(layout.gramInverse),
      gramInverseTimesOther: f64(layout.gramInverseTimesOther),
      scratch: f64(layout.scratch),
      exactMax,
      exactRows: new Int32Array(buffer, layout.exactRows.offset, layout.exactRows.length),
      exactSystem: f64(layout.exactSystem),
      exactRhs: f64(layout.exactRhs),
    };
  }

  /** Whether the run uses the WebAssembly SIMD kernels. */
  get simd(): boolean {
    return this.state.memory !== null;
  }

  /** The phases of the whole fit, each split into at most `parts` tasks of about equal cost. */
  *phases(): Generator<AlsTask[], void, void> {
    const s = this.state;
    const parts = this.parts;
    for (let it = 0; it < this.options.iterations; it++) {
      for (const half of ['items', 'users'] as const) {
        const side = half === 'items' ? s.byItem : s.byUser;
        const fixedRows = half === 'items' ? s.users : s.items;
        yield evenTasks('columns', half, fixedRows, parts);
        yield costTasks('gram', half, triangleCost(s.factors), parts);
        finishGram(s.gram, s.factors, s.regularization);
        if (side.exactRows > 0) {
          s.gramInverse.set(s.gram);
          invertSpdInPlace(s.gramInverse, s.factors);
          symmetrizeFromLower(s.gramInverse, s.factors);
          yield evenTasks('gram-inverse-times', half, fixedRows, parts);
        }
        yield costTasks('solve', half, side.costPrefix, parts);
      }
      // After the user half, `gram` still holds YᵀY + λI for the final item factors.
      if (this.options.computeLoss) this.loss.push(lossOf(s, s.gram));
    }
  }

  /** Runs every phase on the calling thread. */
  runHere(): void {
    for (const tasks of this.phases()) for (const task of tasks) runAlsTask(this.state, task);
  }
}

/** Runs one task of a phase (see AlsTask). Pure: reads and writes only `state`. */
export function runAlsTask(state: AlsTrainingState, task: AlsTask): void {
  const k = state.factors;
  const kernels = state.memory ? wasmAlsKernels(state.memory) : jsAlsKernels;
  const fixed = task.half === 'items' ? state.x : state.y;
  const fixedRows = task.half === 'items' ? state.users : state.items;
  const side = task.half === 'items' ? state.byItem : state.byUser;
  switch (task.phase) {
    case 'columns': {
      const stride = padTo4(fixedRows);
      copyColumns(fixed, stride, k, state.columns, task.from, task.to);
      // The buffer serves both halves with different strides: clear the padding the Gram kernel reads.
      if (task.to === fixedRows)
        for (let a = 0; a < k; a++) state.columns.fill(0, a * stride + fixedRows, (a + 1) * stride);
      return;
    }
    case 'gram':
      kernels.lowerGramRows(state.columns, padTo4(fixedRows), k, state.gram, task.from, task.to);
      return;
    case 'gram-inverse-times':
      for (let t = task.from; t < task.to; t++) {
        if (side.otherNeeded[t])
          kernels.gramTimes(state.gramInverse, fixed, t * k, state.gramInverseTimesOther, t * k, k);
      }
      return;
    case 'solve': {
      const target = task.half === 'items' ? state.y : state.x;
      new RowSolver(k, state.cgSteps, kernels, state, task.slot).solveRows(
        target,
        side,
        fixed,
        state,
        task.from,
        task.to,
      );
      return;
    }
  }
}

interface Slot {
  offset: number;
  length: number;
}

const CACHE_LINE = 64;

/**
 * Lays typed arrays out one after another in a single buffer, each starting on a cache line (which
 * also aligns SIMD loads), so threads writing different arrays never share a line.
 */
class Arena {
  bytes = 0;

  private take(length: number, size: number): Slot {
    const offset = this.bytes;
    this.bytes += Math.ceil((length * size) / CACHE_LINE) * CACHE_LINE;
    return { offset, length };
  }

  f64 = (length: number): Slot => this.take(length, 8);
  f32 = (length: number): Slot => this.take(length, 4);
  i32 = (length: number): Slot => this.take(length, 4);
  u8 = (length: number): Slot => this.take(length, 1);
}

/**
 * Elements between consecutive task slots of the per-slot scratch arrays: whole cache lines, so two
 * threads' slots never share one (false sharing would bounce the line between cores on every write).
 */
function slotStrides(k: number, exactMax: number) {
  const lines = (count: number, size: number) => (Math.ceil((count * size) / CACHE_LINE) * CACHE_LINE) / size;
  return {
    scratch: lines(4 * k, 8),
    exactRows: lines(exactMax, 4),
    exactSystem: lines(exactMax * exactMax, 8),
    exactRhs: lines(exactMax, 8),
  };
}

function padTo4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * (c − 1) and p per entry, and which rows to solve exactly: those whose Woodbury solve costs less
 * than the CG steps and is well defined (every positive entry carries extra confidence, so E⁻¹ exists).
 */
function planSide(m: CsrMatrix, otherRows: number, o: AlsTrainingOptions): { side: AlsSide; exactMax: number } {
  const { rowPtr, colIdx, nnz } = m;
  const extra = new Float32Array(nnz);
  const pref = new Uint8Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const v = m.values[p];
    const r = Math.abs(v);
    extra[p] = o.scaling === 'log' ? o.alpha * Math.log1p(r / o.epsilon) : o.alpha * r;
    pref[p] = v > 0 ? 1 : 0;
  }
  const k = o.factors;
  const exact = new Uint8Array(m.rows);
  const otherNeeded = new Uint8Array(otherRows);
  const costPrefix = new Float64Array(m.rows + 1);
  let exactRows = 0;
  let exactMax = 0;
  for (let row = 0; row < m.rows; row++) {
    let n = 0;
    let ok = true;
    for (let q = rowPtr[row]; q < rowPtr[row + 1]; q++) {
      if (extra[q] > 0) n++;
      else if (pref[q]) ok = false;
    }
    const exactCost = (n * n * k) / 2 + (n * n * n) / 6 + 2 * n * k;
    const cgCost = (o.cgSteps + 1) * (k * k + 2 * n * k);
    const isExact = ok && exactCost < cgCost;
    // For splitting a sweep into equal shares, count what the multiply-adds leave out: a fixed cost per
    // row (its JavaScript loops over k-vectors and kernel calls, about half a k×k product) and the
    // exact solve's Cholesky factorisation, which runs in plain JavaScript.
    const share = isExact ? exactCost + (n * n * n) / 2 : cgCost;
    if (isExact) {
      exact[row] = 1;
      exactRows++;
      exactMax = Math.max(exactMax, n);
      for (let q = rowPtr[row]; q < rowPtr[row + 1]; q++) if (extra[q] > 0) otherNeeded[colIdx[q]] = 1;
    }
    costPrefix[row + 1] = costPrefix[row] + share + (k * k) / 2;
  }
  return {
    side: { rows: m.rows, rowPtr, colIdx, extra, pref, exact, exactRows, otherNeeded, costPrefix },
    exactMax,
  };
}

function sideLayout(arena: Arena, side: AlsSide) {
  return {
    rowPtr: arena.i32(side.rowPtr.length),
    colIdx: arena.i32(side.colIdx.length),
    extra: arena.f32(side.extra.length),
    pref: arena.u8(side.pref.length),
    exact: arena.u8(side.exact.length),
    otherNeeded: arena.u8(side.otherNeeded.length),
    costPrefix: arena.f64(side.costPrefix.length),
  };
}

/** The side copied into its place in the state's buffer. */
function placeSide(buffer: ArrayBufferLike, at: ReturnType<typeof sideLayout>, side: AlsSide): AlsSide {
  const place = <T extends { set(a: ArrayLike<number>): void }>(view: T, values: ArrayLike<number>): T => {
    view.set(values);
    return view;
  };
  return {
    rows: side.rows,
    rowPtr: place(new Int32Array(buffer, at.rowPtr.offset, at.rowPtr.length), side.rowPtr),
    colIdx: place(new Int32Array(buffer, at.colIdx.offset, at.colIdx.length), side.colIdx),
    extra: place(new Float32Array(buffer, at.extra.offset, at.extra.length), side.extra),
    pref: place(new Uint8Array(buffer, at.pref.offset, at.pref.length), side.pref),
    exact: place(new Uint8Array(buffer, at.exact.offset, at.exact.length), side.exact),
    exactRows: side.exactRows,
    otherNeeded: place(new Uint8Array(buffer, at.otherNeeded.offset, at.otherNeeded.length), side.otherNeeded),
    costPrefix: place(new Float64Array(buffer, at.costPrefix.offset, at.costPrefix.length), side.costPrefix),
  };
}

function evenTasks(phase: AlsTask['phase'], half: AlsHalf, rows: number, parts: number): AlsTask[] {
  const tasks: AlsTask[] = [];
  const n = Math.max(1, Math.min(parts, rows));
  for (let t = 0; t < n; t++) {
    const from = Math.floor((rows * t) / n);
    const to = Math.floor((rows * (t + 1)) / n);
    if (to > from) tasks.push({ phase, half, from, to, slot: tasks.length });
  }
  return tasks;
}

/** Row a of the lower triangle costs a + 1 dot products. */
function triangleCost(k: number): Float64Array {
  const prefix = new Float64Array(k + 1);
  for (let a = 0; a < k; a++) prefix[a + 1] = prefix[a] + a + 1;
  return prefix;
}

/** Contiguous ranges of about equal total cost, from the running sums `prefix` (length rows + 1). */
function costTasks(phase: AlsTask['phase'], half: AlsHalf, prefix: Float64Array, parts: number): AlsTask[] {
  const rows = prefix.length - 1;
  const total = prefix[rows];
  const tasks: AlsTask[] = [];
  let from = 0;
  for (let t = 1; t <= parts && from < rows; t++) {
    let to = rows;
    if (t < parts) {
      const goal = (total * t) / parts;
      to = from;
      while (to < rows && prefix[to + 1] <= goal) to++;
      if (to === from) continue;
    }
    tasks.push({ phase, half, from, to, slot: tasks.length });
    from = to;
  }
  return tasks;
}

/** columns[a·stride + r] = f[r·k + a] for r in [from, to). */
function copyColumns(
  f: Float64Array,
  stride: number,
  k: number,
  columns: Float64Array,
  from: number,
  to: number,
): void {
  for (let r = from; r < to; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) columns[a * stride + r] = f[o + a];
  }
}

/** Adds λ to the diagonal and mirrors the lower triangle. */
function finishGram(g: Float64Array, k: number, reg: number): void {
  for (let a = 0; a < k; a++) g[a * k + a] += reg;
  symmetrizeFromLower(g, k);
}

function symmetrizeFromLower(g: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) g[b * k + a] = g[a * k + b];
}

/** FᵀF + λI for a row-major rows × k matrix (fold-in), on the calling thread. */
export function gramOf(f: Float32Array | Float64Array, rows: number, k: number, reg: number): Float64Array {
  const cols = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let a = 0; a < k; a++) cols[a * rows + r] = f[r * k + a];
  const g = new Float64Array(k * k);
  jsAlsKernels.lowerGramRows(cols, rows, k, g, 0, k);
  finishGram(g, k, reg);
  return g;
}

/**
 * The full objective over every (user, item) pair in O(users·k² + nnz·k): unobserved pairs
 * contribute (x·y)², so Σ_all (x·y)² + λ‖X‖² = Σ_u xᵀ(YᵀY + λI)x, and observed pairs are
 * corrected by c(p − s)² − s². Reported per pair so datasets compare.
 */
function lossOf(s: AlsTrainingState, yGramReg: Float64Array): number {
  const { x, y, byUser, factors: k, regularization: reg } = s;
  let total = 0;
  for (let u = 0; u < byUser.rows; u++) {
    const ou = u * k;
    for (let a = 0; a < k; a++) total += x[ou + a] * dotPair(yGramReg, a * k, x, ou, k);
    for (let p = byUser.rowPtr[u]; p < byUser.rowPtr[u + 1]; p++) {
      const sc = dotPair(x, ou, y, byUser.colIdx[p] * k, k);
      const c = 1 + byUser.extra[p];
      const d = byUser.pref[p] - sc;
      total += c * d * d - sc * sc;
    }
  }
  let yNorm = 0;
  for (let i = 0; i < y.length; i++) yNorm += y[i] * y[i];
  return (total + reg * yNorm) / (byUser.rows * s.items);
}

/**
 * Solves rows of one half-sweep. Rows with many observations take a few warm-started
 * conjugate-gradient steps, O((steps+1)·(k² + 2·n·k)) (Takács, Pilászy & Tikk 2011, as in the
 * `implicit` library). Rows with few observations — most items in a long-tailed catalog — are
 * solved exactly and more cheaply through the Woodbury identity: with G = YᵀY + λI and S the
 * row's n observations,
 *   x = G⁻¹·Y_Sᵀ·z,  where (Y_S·G⁻¹·Y_Sᵀ + E⁻¹)·z = E⁻¹·c∘p   (E = diag(c − 1)),
 * an n×n solve, O(n²·k/2 + n³/6), from G⁻¹·y precomputed for the rows involved.
 */
class RowSolver {
  private readonly xv: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly ap: Float64Array;
  private readonly list: Int32Array;
  private readonly system: Float64Array;
  private readonly rhs: Float64Array;

  constructor(
    private readonly k: number,
    private readonly steps: number,
    private readonly kernels: AlsKernels,
    s: AlsTrainingState,
    slot: number,
  ) {
    // Views into the task's slot of the state: the SIMD kernels read and write them in place.
    const n = s.exactMax;
    const at = slotStrides(k, n);
    const scratch = s.scratch.subarray(slot * at.scratch, slot * at.scratch + 4 * k);
    this.xv = scratch.subarray(0, k);
    this.r = scratch.subarray(k, 2 * k);
    this.p = scratch.subarray(2 * k, 3 * k);
    this.ap = scratch.subarray(3 * k, 4 * k);
    this.list = s.exactRows.subarray(slot * at.exactRows, slot * at.exactRows + n);
    this.system = s.exactSystem.subarray(slot * at.exactSystem, slot * at.exactSystem + n * n);
    this.rhs = s.exactRhs.subarray(slot * at.exactRhs, slot * at.exactRhs + n);
  }

  solveRows(
    target: Float64Array,
    side: AlsSide,
    other: Float64Array,
    s: AlsTrainingState,
    from: number,
    to: number,
  ): void {
    const k = this.k;
    for (let row = from; row < to; row++) {
      if (side.exact[row] && this.solveExact(target, row * k, side, row, other, s.gramInverseTimesOther)) continue;
      this.solveCg(target, row * k, side, row, other, s.gram);
    }
  }

  /** Exact Woodbury solve of one row; false (leave it to CG) if the small system is not positive definite. */
  private solveExact(
    target: Float64Array,
    ox: number,
    side: AlsSide,
    row: number,
    other: Float64Array,
    ginvY: Float64Array,
  ): boolean {
    const k = this.k;
    const { rowPtr, colIdx, extra, pref } = side;
    const { list, system: m, rhs: z } = this;
    let n = 0;
    for (let q = rowPtr[row]; q < rowPtr[row + 1]; q++) if (extra[q] > 0) list[n++] = colIdx[q];
    // M = Y_S·G⁻¹·Y_Sᵀ + E⁻¹ (lower triangle), u = E⁻¹·c∘p.
    this.kernels.crossDots(list, n, ginvY, other, m, k);
    for (let q = rowPtr[row], a = 0; q < rowPtr[row + 1]; q++) {
      const e = extra[q];
      if (!(e > 0)) continue;
      m[a * n + a] += 1 / e;
      z[a] = pref[q] ? (1 + e) / e : 0;
      a++;
    }
    if (!choleskySolveInPlace(m, z, n)) return false;
    this.kernels.combineRows(list, n, z, ginvY, this.xv, k);
    for (let a = 0; a < k; a++) target[ox + a] = this.xv[a];
    return true;
  }

  /** A few conjugate-gradient steps on one row, warm-started from its current value. */
  private solveCg(
    target: Float64Array,
    ox: number,
    side: AlsSide,
    row: number,
    other: Float64Array,
    gram: Float64Array,
  ): void {
    const k = this.k;
    const { xv, r, p, ap, kernels } = this;
    const start = side.rowPtr[row];
    const end = side.rowPtr[row + 1];
    for (let a = 0; a < k; a++) xv[a] = target[ox + a];
    // r = b − A·x, with A = G + Σ (c−1)·y·yᵀ and b = Σ c·p·y.
    kernels.gramTimes(gram, xv, 0, r, 0, k);
    for (let a = 0; a < k; a++) r[a] = -r[a];
    kernels.addObserved(side, start, end, other, xv, r, k, true);
    let rs = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a];
      rs += r[a] * r[a];
    }
    if (rs < 1e-20) return;
    for (let step = 0; step < this.steps; step++) {
      kernels.gramTimes(gram, p, 0, ap, 0, k);
      kernels.addObserved(side, start, end, other, p, ap, k, false);
      const pap = dotPair(p, 0, ap, 0, k);
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
