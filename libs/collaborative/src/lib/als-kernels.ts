import {
  assembleWasmModule,
  compileWasmModule,
  instantiateWasm,
  isSharedWasmMemory,
  wasm,
  type WasmCode,
  type WasmFunction,
  type WasmMemory,
  type WasmModule,
  type WasmValType,
} from '@encore/linalg';

/** The CSR arrays addObserved walks (one orientation of the training data). */
export interface ObservedEntries {
  colIdx: Int32Array;
  /** c − 1 per entry. */
  extra: Float32Array;
  /** 1 where the preference p is 1. */
  pref: Uint8Array;
}

/**
 * The inner loops of implicit-ALS training, where nearly all of its time goes. Offsets count
 * elements. Two implementations with the same contract: plain JavaScript over any typed arrays,
 * and 128-bit WebAssembly SIMD over arrays that all live in one WebAssembly.Memory. They add in
 * different orders, so results agree to rounding (≈1e-15 relative), not bit for bit; one training
 * run uses one of them throughout.
 */
export interface AlsKernels {
  /** out[oo … oo+k) = G·v[ov … ov+k) for a k×k row-major G. */
  gramTimes(g: Float64Array, v: Float64Array, ov: number, out: Float64Array, oo: number, k: number): void;
  /**
   * out += Σ_q c_q·y_q over entries q ∈ [start, end), y_q = other row colIdx[q], c_q = e_q·(y_q·v);
   * with `residual`, c_q = (p_q ? 1 + e_q : 0) − e_q·(y_q·v) instead (the observed part of b − A·v).
   */
  addObserved(
    side: ObservedEntries,
    start: number,
    end: number,
    other: Float64Array,
    v: Float64Array,
    out: Float64Array,
    k: number,
    residual: boolean,
  ): void;
  /**
   * g[a·k + b] = column a · column b for b ≤ a, a ∈ [from, to), where column c is
   * cols[c·stride … c·stride + stride) (zero-padded past the real rows).
   */
  lowerGramRows(cols: Float64Array, stride: number, k: number, g: Float64Array, from: number, to: number): void;
  /**
   * The small system of an exact (Woodbury) row solve: m[a·n + b] = w_a · y_b for b ≤ a < n, where
   * w_a = rows[list[a]] of `w` (G⁻¹·y) and y_b = rows[list[b]] of `other`.
   */
  crossDots(list: Int32Array, n: number, w: Float64Array, other: Float64Array, m: Float64Array, k: number): void;
  /** out[0 … k) = Σ_a z[a] · w[list[a]] over a < n. */
  combineRows(list: Int32Array, n: number, z: Float64Array, w: Float64Array, out: Float64Array, k: number): void;
}

/** a[oa … oa+n) · b[ob … ob+n), four accumulators so the multiply-adds overlap. */
export function dotPair(a: Float64Array, oa: number, b: Float64Array, ob: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[oa + j] * b[ob + j];
    s1 += a[oa + j + 1] * b[ob + j + 1];
    s2 += a[oa + j + 2] * b[ob + j + 2];
    s3 += a[oa + j + 3] * b[ob + j + 3];
  }
  for (; j < n; j++) s0 += a[oa + j] * b[ob + j];
  return s0 + s1 + s2 + s3;
}

export const jsAlsKernels: AlsKernels = {
  // Four rows per pass: each v[j] loaded once serves four of them (~1.5× one dot product per row).
  gramTimes(g, v, ov, out, oo, k) {
    let a = 0;
    for (; a + 3 < k; a += 4) {
      const r0 = a * k;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < k; j++) {
        const vj = v[ov + j];
        s0 += g[r0 + j] * vj;
        s1 += g[r1 + j] * vj;
        s2 += g[r2 + j] * vj;
        s3 += g[r3 + j] * vj;
      }
      out[oo + a] = s0;
      out[oo + a + 1] = s1;
      out[oo + a + 2] = s2;
      out[oo + a + 3] = s3;
    }
    for (; a < k; a++) out[oo + a] = dotPair(g, a * k, v, ov, k);
  },

  // Four entries per pass: each v[j] and out[j] is loaded once for four rows (~20% over one dot
  // and one axpy per entry).
  addObserved(side, start, end, other, v, out, k, residual) {
    const { colIdx, extra, pref } = side;
    let q = start;
    for (; q + 3 < end; q += 4) {
      const o0 = colIdx[q] * k;
      const o1 = colIdx[q + 1] * k;
      const o2 = colIdx[q + 2] * k;
      const o3 = colIdx[q + 3] * k;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let j = 0; j < k; j++) {
        const vj = v[j];
        d0 += other[o0 + j] * vj;
        d1 += other[o1 + j] * vj;
        d2 += other[o2 + j] * vj;
        d3 += other[o3 + j] * vj;
      }
      let c0 = extra[q] * d0;
      let c1 = extra[q + 1] * d1;
      let c2 = extra[q + 2] * d2;
      let c3 = extra[q + 3] * d3;
      if (residual) {
        c0 = (pref[q] ? 1 + extra[q] : 0) - c0;
        c1 = (pref[q + 1] ? 1 + extra[q + 1] : 0) - c1;
        c2 = (pref[q + 2] ? 1 + extra[q + 2] : 0) - c2;
        c3 = (pref[q + 3] ? 1 + extra[q + 3] : 0) - c3;
      }
      for (let j = 0; j < k; j++) {
        out[j] += c0 * other[o0 + j] + c1 * other[o1 + j] + (c2 * other[o2 + j] + c3 * other[o3 + j]);
      }
    }
    for (; q < end; q++) {
      const o = colIdx[q] * k;
      let c = extra[q] * dotPair(other, o, v, 0, k);
      if (residual) c = (pref[q] ? 1 + extra[q] : 0) - c;
      for (let j = 0; j < k; j++) out[j] += c * other[o + j];
    }
  },

  // Four entries per pass over column a. Accumulating row outer products instead stores to the
  // k×k result on every multiply-add and runs ~3× slower.
  lowerGramRows(cols, stride, k, g, from, to) {
    for (let a = from; a < to; a++) {
      const ca = a * stride;
      let b = 0;
      for (; b + 3 <= a; b += 4) {
        const c0 = b * stride;
        const c1 = c0 + stride;
        const c2 = c1 + stride;
        const c3 = c2 + stride;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < stride; r++) {
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
      for (; b <= a; b++) g[a * k + b] = dotPair(cols, ca, cols, b * stride, stride);
    }
  },

  crossDots(list, n, w, other, m, k) {
    for (let a = 0; a < n; a++) {
      const wa = list[a] * k;
      for (let b = 0; b <= a; b++) m[a * n + b] = dotPair(w, wa, other, list[b] * k, k);
    }
  },

  combineRows(list, n, z, w, out, k) {
    out.fill(0, 0, k);
    for (let a = 0; a < n; a++) {
      const za = z[a];
      const o = list[a] * k;
      for (let j = 0; j < k; j++) out[j] += za * w[o + j];
    }
  },
};

// ---- WebAssembly SIMD (f64x2) kernels. Pointers are byte addresses into the one memory; every
// loop takes 4 doubles (32 bytes) per turn as two f64x2 halves with separate accumulators, so k and
// the Gram column stride must be multiples of 4.

const { get, set, i32 } = wasm;
const add = (...terms: WasmCode[]): number[] => terms.flatMap((t, i) => (i === 0 ? [...t] : [...t, ...wasm.i32Add]));
const times8 = (code: WasmCode): number[] => [...code, ...i32(3), ...wasm.i32Shl];
const increment = (local: number, by: number): number[] => [...add(get(local), i32(by)), ...set(local)];

/** Numbers a function's locals after its params and records their types. */
class Locals {
  readonly types: WasmValType[] = [];

  constructor(private readonly params: number) {}

  i32 = (): number => this.take('i32');
  f64 = (): number => this.take('f64');
  v128 = (): number => this.take('v128');

  private take(type: WasmValType): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

/** A pair of f64x2 accumulators: the even and odd 16-byte halves of each 32-byte turn. */
type Accumulator = readonly [number, number];

/**
 * accs[i] = row i · v over `bytes` bytes, for several rows at once so each half of v is loaded once
 * per turn for all of them. Rows and v are byte addresses held in locals.
 */
function dotsCode(
  rows: readonly number[],
  v: number,
  bytes: WasmCode,
  j: number,
  vv: number,
  accs: readonly Accumulator[],
): number[] {
  const half = (offset: 0 | 16, which: 0 | 1): number[] => [
    ...add(get(v), get(j)),
    ...wasm.v128Load(offset),
    ...set(vv),
    ...rows.flatMap((row, i) => [
      ...get(accs[i][which]),
      ...add(get(row), get(j)),
      ...wasm.v128Load(offset),
      ...get(vv),
      ...wasm.f64x2Mul,
      ...wasm.f64x2Add,
      ...set(accs[i][which]),
    ]),
  ];
  return [
    ...accs.flatMap(([a, b]) => [...wasm.v128Zero, ...set(a), ...wasm.v128Zero, ...set(b)]),
    ...i32(0),
    ...set(j),
    ...wasm.whileLessThan(get(j), bytes, [...half(0, 0), ...half(16, 1), ...increment(j, 32)]),
  ];
}

/** The dot product an accumulator pair holds, as one double on the stack. */
function sumCode([a, b]: Accumulator): number[] {
  return [
    ...get(a),
    ...get(b),
    ...wasm.f64x2Add,
    ...set(a),
    ...get(a),
    ...wasm.f64x2ExtractLane(0),
    ...get(a),
    ...wasm.f64x2ExtractLane(1),
    ...wasm.f64Add,
  ];
}

/** out[0 … bytes) += Σ_i coefs[i] · rows[i] (coefs: splatted f64x2 locals), out loaded and stored once. */
function axpysCode(
  rows: readonly number[],
  coefs: readonly number[],
  out: number,
  bytes: WasmCode,
  j: number,
): number[] {
  const half = (offset: 0 | 16): number[] => [
    ...add(get(out), get(j)),
    ...add(get(out), get(j)),
    ...wasm.v128Load(offset),
    ...rows.flatMap((row, i) => [
      ...get(coefs[i]),
      ...add(get(row), get(j)),
      ...wasm.v128Load(offset),
      ...wasm.f64x2Mul,
      ...wasm.f64x2Add,
    ]),
    ...wasm.v128Store(offset),
  ];
  return [...i32(0), ...set(j), ...wasm.whileLessThan(get(j), bytes, [...half(0), ...half(16), ...increment(j, 32)])];
}

function gramTimesFunction(): WasmFunction {
  const [g, v, out, k] = [0, 1, 2, 3];
  const l = new Locals(4);
  const [kBytes, o, j, vv] = [l.i32(), l.i32(), l.i32(), l.v128()];
  const rows = [l.i32(), l.i32(), l.i32(), l.i32()];
  const accs: Accumulator[] = rows.map(() => [l.v128(), l.v128()]);
  return {
    name: 'gramTimes',
    params: ['i32', 'i32', 'i32', 'i32'],
    locals: l.types,
    body: [
      ...times8(get(k)),
      ...set(kBytes),
      ...get(g),
      ...set(rows[0]),
      ...i32(0),
      ...set(o),
      // Four rows of G per turn: out[o … o+4) = G[row … row+4)·v.
      ...wasm.whileLessThan(get(o), get(kBytes), [
        ...rows.slice(1).flatMap((row, i) => [...add(get(rows[i]), get(kBytes)), ...set(row)]),
        ...dotsCode(rows, v, get(kBytes), j, vv, accs),
        ...accs.flatMap((acc, i) => [...add(get(out), get(o)), ...sumCode(acc), ...wasm.f64Store(8 * i)]),
        ...add(get(rows[3]), get(kBytes)),
        ...set(rows[0]),
        ...increment(o, 32),
      ]),
    ],
  };
}

function addObservedFunction(): WasmFunction {
  const [colIdx, extra, pref, start, end, other, v, out, k, residual] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const l = new Locals(10);
  const [kBytes, q, j, vv, c] = [l.i32(), l.i32(), l.i32(), l.v128(), l.f64()];
  const rows = [l.i32(), l.i32()];
  const accs: Accumulator[] = rows.map(() => [l.v128(), l.v128()]);
  const coefs = [l.v128(), l.v128()];
  const entry = (base: number, shift: number, ahead: number): number[] =>
    add(get(base), [...add(get(q), i32(ahead)), ...i32(shift), ...wasm.i32Shl]);
  const extraOf = (ahead: number): number[] => [...entry(extra, 2, ahead), ...wasm.f32Load(0), ...wasm.f64PromoteF32];
  /** Row address of entry q + ahead, and its coefficient c (splatted into coefs[i]) from the dot in accs[i]. */
  const rowOf = (i: number): number[] => [
    ...get(other),
    ...entry(colIdx, 2, i),
    ...wasm.i32Load(0),
    ...get(kBytes),
    ...wasm.i32Mul,
    ...wasm.i32Add,
    ...set(rows[i]),
  ];
  const coefOf = (i: number): number[] => [
    ...sumCode(accs[i]),
    ...extraOf(i),
    ...wasm.f64Mul,
    ...set(c),
    // residual: c = (p ? 1 + e : 0) − c
    ...get(residual),
    ...wasm.ifElse([
      ...entry(pref, 0, i),
      ...wasm.u8Load(0),
      ...wasm.ifElse(
        [...wasm.f64(1), ...extraOf(i), ...wasm.f64Add, ...get(c), ...wasm.f64Sub, ...set(c)],
        [...wasm.f64(0), ...get(c), ...wasm.f64Sub, ...set(c)],
      ),
    ]),
    ...get(c),
    ...wasm.f64x2Splat,
    ...set(coefs[i]),
  ];
  /** Entries q … q+n−1 in one pass: n dots against v, then n rows added into out. */
  const entries = (n: 1 | 2): number[] => {
    const idx = n === 2 ? [0, 1] : [0];
    return [
      ...idx.flatMap(rowOf),
      ...dotsCode(rows.slice(0, n), v, get(kBytes), j, vv, accs.slice(0, n)),
      ...idx.flatMap(coefOf),
      ...axpysCode(rows.slice(0, n), coefs.slice(0, n), out, get(kBytes), j),
      ...increment(q, n),
    ];
  };
  return {
    name: 'addObserved',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: l.types,
    body: [
      ...times8(get(k)),
      ...set(kBytes),
      ...get(start),
      ...set(q),
      // Two entries per pass share the loads of v and of out; an odd last entry goes alone.
      ...wasm.whileLessThan(add(get(q), i32(1)), get(end), entries(2)),
      ...wasm.whileLessThan(get(q), get(end), entries(1)),
    ],
  };
}

function lowerGramRowsFunction(): WasmFunction {
  const [cols, stride, k, g, from, to] = [0, 1, 2, 3, 4, 5];
  const l = new Locals(6);
  const [strideBytes, a, b, colA, gRow, j, vv] = [l.i32(), l.i32(), l.i32(), l.i32(), l.i32(), l.i32(), l.v128()];
  const colsB = [l.i32(), l.i32(), l.i32(), l.i32()];
  const accs: Accumulator[] = colsB.map(() => [l.v128(), l.v128()]);
  const nextColumns = (n: number): number[] => [
    ...add(get(colsB[n - 1]), get(strideBytes)),
    ...set(colsB[0]),
    ...increment(b, n),
  ];
  return {
    name: 'lowerGramRows',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: l.types,
    body: [
      ...times8(get(stride)),
      ...set(strideBytes),
      ...get(from),
      ...set(a),
      ...wasm.whileLessThan(get(a), get(to), [
        ...add(get(cols), [...get(a), ...get(strideBytes), ...wasm.i32Mul]),
        ...set(colA),
        ...add(get(g), times8([...get(a), ...get(k), ...wasm.i32Mul])),
        ...set(gRow),
        ...get(cols),
        ...set(colsB[0]),
        ...i32(0),
        ...set(b),
        // Four columns b … b+3 (all ≤ a) per pass share the loads of column a.
        ...wasm.whileLessThan(add(get(b), i32(3)), add(get(a), i32(1)), [
          ...colsB.slice(1).flatMap((col, i) => [...add(get(colsB[i]), get(strideBytes)), ...set(col)]),
          ...dotsCode(colsB, colA, get(strideBytes), j, vv, accs),
          ...accs.flatMap((acc, i) => [...add(get(gRow), times8(get(b))), ...sumCode(acc), ...wasm.f64Store(8 * i)]),
          ...nextColumns(4),
        ]),
        ...wasm.whileLessThan(get(b), add(get(a), i32(1)), [
          ...dotsCode([colsB[0]], colA, get(strideBytes), j, vv, [accs[0]]),
          ...add(get(gRow), times8(get(b))),
          ...sumCode(accs[0]),
          ...wasm.f64Store(0),
          ...add(get(colsB[0]), get(strideBytes)),
          ...set(colsB[0]),
          ...increment(b, 1),
        ]),
        ...increment(a, 1),
      ]),
    ],
  };
}

/** Byte address of row list[a + ahead] of a k-wide matrix at `base`. */
function listedRow(base: number, list: number, a: number, kBytes: number, ahead: number): number[] {
  return add(get(base), [
    ...add(get(list), [...get(a), ...i32(2), ...wasm.i32Shl]),
    ...wasm.i32Load(4 * ahead),
    ...get(kBytes),
    ...wasm.i32Mul,
  ]);
}

function crossDotsFunction(): WasmFunction {
  const [list, n, w, other, m, k] = [0, 1, 2, 3, 4, 5];
  const l = new Locals(6);
  const [kBytes, a, b, wa, out, j, vv] = [l.i32(), l.i32(), l.i32(), l.i32(), l.i32(), l.i32(), l.v128()];
  const ys = [l.i32(), l.i32(), l.i32(), l.i32()];
  const accs: Accumulator[] = ys.map(() => [l.v128(), l.v128()]);
  /** Dots of w_a with y_b … y_b+count−1 into m[a·n + b …]. */
  const block = (count: number): number[] => [
    ...ys.slice(0, count).flatMap((y, i) => [...listedRow(other, list, b, kBytes, i), ...set(y)]),
    ...dotsCode(ys.slice(0, count), wa, get(kBytes), j, vv, accs.slice(0, count)),
    ...accs.slice(0, count).flatMap((acc, i) => [...get(out), ...sumCode(acc), ...wasm.f64Store(8 * i)]),
    ...increment(out, 8 * count),
    ...increment(b, count),
  ];
  return {
    name: 'crossDots',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: l.types,
    body: [
      ...times8(get(k)),
      ...set(kBytes),
      ...i32(0),
      ...set(a),
      ...wasm.whileLessThan(get(a), get(n), [
        ...listedRow(w, list, a, kBytes, 0),
        ...set(wa),
        ...add(get(m), times8([...get(a), ...get(n), ...wasm.i32Mul])),
        ...set(out),
        ...i32(0),
        ...set(b),
        // Four y_b per pass share the loads of w_a.
        ...wasm.whileLessThan(add(get(b), i32(3)), add(get(a), i32(1)), block(4)),
        ...wasm.whileLessThan(get(b), add(get(a), i32(1)), block(1)),
        ...increment(a, 1),
      ]),
    ],
  };
}

function combineRowsFunction(): WasmFunction {
  const [list, n, z, w, out, k] = [0, 1, 2, 3, 4, 5];
  const l = new Locals(6);
  const [kBytes, a, row, j, zv] = [l.i32(), l.i32(), l.i32(), l.i32(), l.v128()];
  return {
    name: 'combineRows',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: l.types,
    body: [
      ...times8(get(k)),
      ...set(kBytes),
      ...i32(0),
      ...set(j),
      ...wasm.whileLessThan(get(j), get(kBytes), [
        ...add(get(out), get(j)),
        ...wasm.v128Zero,
        ...wasm.v128Store(0),
        ...increment(j, 16),
      ]),
      ...i32(0),
      ...set(a),
      ...wasm.whileLessThan(get(a), get(n), [
        ...listedRow(w, list, a, kBytes, 0),
        ...set(row),
        ...add(get(z), times8(get(a))),
        ...wasm.f64Load(0),
        ...wasm.f64x2Splat,
        ...set(zv),
        ...axpysCode([row], [zv], out, get(kBytes), j),
        ...increment(a, 1),
      ]),
    ],
  };
}

const modules = new Map<boolean, WasmModule>();
const instances = new WeakMap<WasmMemory, AlsKernels>();

/**
 * The SIMD kernels bound to `memory`, where every array passed to them must live. Factor rows
 * (k) and Gram columns (stride) must be whole multiples of 4 doubles: the loops take four per turn.
 */
export function wasmAlsKernels(memory: WasmMemory): AlsKernels {
  let kernels = instances.get(memory);
  if (kernels) return kernels;
  const shared = isSharedWasmMemory(memory);
  let module = modules.get(shared);
  if (!module) {
    module = compileWasmModule(
      assembleWasmModule({ shared }, [
        gramTimesFunction(),
        addObservedFunction(),
        lowerGramRowsFunction(),
        crossDotsFunction(),
        combineRowsFunction(),
      ]),
    );
    modules.set(shared, module);
  }
  const { gramTimes, addObserved, lowerGramRows, crossDots, combineRows } = instantiateWasm(module, memory);
  kernels = {
    gramTimes: (g, v, ov, out, oo, k) => {
      gramTimes(g.byteOffset, v.byteOffset + ov * 8, out.byteOffset + oo * 8, k);
    },
    addObserved: (side, start, end, other, v, out, k, residual) => {
      addObserved(
        side.colIdx.byteOffset,
        side.extra.byteOffset,
        side.pref.byteOffset,
        start,
        end,
        other.byteOffset,
        v.byteOffset,
        out.byteOffset,
        k,
        residual ? 1 : 0,
      );
    },
    lowerGramRows: (cols, stride, k, g, from, to) => {
      lowerGramRows(cols.byteOffset, stride, k, g.byteOffset, from, to);
    },
    crossDots: (list, n, w, other, m, k) => {
      crossDots(list.byteOffset, n, w.byteOffset, other.byteOffset, m.byteOffset, k);
    },
    combineRows: (list, n, z, w, out, k) => {
      combineRows(list.byteOffset, n, z.byteOffset, w.byteOffset, out.byteOffset, k);
    },
  };
  instances.set(memory, kernels);
  return kernels;
}
