/**
 * In-place inverse of a symmetric positive-definite n×n matrix stored row-major in a
 * Float64Array, reading only the lower triangle and leaving the inverse's lower triangle
 * (the upper triangle is scratch).
 *
 * Cholesky (A = L·Lᵀ), then L⁻¹, then A⁻¹ = L⁻ᵀ·L⁻¹: each step is n³/6 multiply-adds,
 * n³/2 in total (half of Gauss–Jordan), with no second n×n buffer. Every step is arranged as
 * dot products of contiguous row slices (no stores in the inner loops), four outputs per
 * pass so each row streamed from memory is used four times: at n ≈ 1,700 the matrix (23 MB)
 * is far larger than the cache.
 */
export function invertSpdInPlace(a: Float64Array, n: number): Float64Array {
  if (a.length < n * n) throw new RangeError(`matrix buffer holds ${a.length} values, need ${n}×${n}`);
  choleskyInPlace(a, n);
  invertLowerInPlace(a, n);
  lowerGramInPlace(a, n);
  return a;
}

/** A's lower triangle becomes L: L[i,j] = (A[i,j] − Σ_{k<j} L[i,k]·L[j,k]) / L[j,j]. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  let i0 = 0;
  for (; i0 + 4 <= n; i0 += 4) {
    const r0 = i0 * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < j; k++) {
        const l = a[rj + k];
        s0 += a[r0 + k] * l;
        s1 += a[r1 + k] * l;
        s2 += a[r2 + k] * l;
        s3 += a[r3 + k] * l;
      }
      const d = a[rj + j];
      a[r0 + j] = (a[r0 + j] - s0) / d;
      a[r1 + j] = (a[r1 + j] - s1) / d;
      a[r2 + j] = (a[r2 + j] - s2) / d;
      a[r3 + j] = (a[r3 + j] - s3) / d;
    }
    for (let i = i0; i < i0 + 4; i++) choleskyRow(a, n, i, i0);
  }
  for (; i0 < n; i0++) choleskyRow(a, n, i0, 0);
}

function choleskyRow(a: Float64Array, n: number, i: number, from: number): void {
  const ri = i * n;
  for (let j = from; j <= i; j++) {
    const rj = j * n;
    let s = a[ri + j];
    for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
    if (i === j) {
      if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i} is ${s})`);
      a[ri + i] = Math.sqrt(s);
    } else {
      a[ri + j] = s / a[rj + j];
    }
  }
}

/**
 * X = L⁻¹ goes into the upper triangle, transposed (U = Xᵀ): X[i,j] = −(Σ_{k=j}^{i−1} L[i,k]·U[j,k]) / L[i,i]
 * is then a dot product of two contiguous row slices, and writes land where L is not stored.
 * The diagonal ends up holding X[i,i] = 1/L[i,i].
 */
export function invertLowerInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const d = a[ri + i];
    let j = 0;
    // Four j at a time share the loads of row i.
    for (; j + 3 < i; j += 4) {
      const r0 = j * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = a[ri + j] * a[r0 + j];
      s0 += a[ri + j + 1] * a[r0 + j + 1];
      s0 += a[ri + j + 2] * a[r0 + j + 2];
      let s1 = a[ri + j + 1] * a[r1 + j + 1];
      s1 += a[ri + j + 2] * a[r1 + j + 2];
      let s2 = a[ri + j + 2] * a[r2 + j + 2];
      let s3 = 0;
      for (let k = j + 3; k < i; k++) {
        const l = a[ri + k];
        s0 += l * a[r0 + k];
        s1 += l * a[r1 + k];
        s2 += l * a[r2 + k];
        s3 += l * a[r3 + k];
      }
      a[r0 + i] = -s0 / d;
      a[r1 + i] = -s1 / d;
      a[r2 + i] = -s2 / d;
      a[r3 + i] = -s3 / d;
    }
    for (; j < i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = j; k < i; k++) s += a[ri + k] * a[rj + k];
      a[rj + i] = -s / d;
    }
    a[ri + i] = 1 / d;
  }
}

/**
 * From U = Xᵀ in the upper triangle (diagonal included), writes P = XᵀX into the lower
 * triangle: P[i,j] = Σ_{k≥i} U[i,k]·U[j,k] for j ≤ i, again contiguous dot products. The
 * diagonal is still needed by later dots, so P's diagonal is parked and written last.
 */
export function lowerGramInPlace(a: Float64Array, n: number): void {
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const r0 = j * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = i; k < n; k++) {
        const u = a[ri + k];
        s0 += u * a[r0 + k];
        s1 += u * a[r1 + k];
        s2 += u * a[r2 + k];
        s3 += u * a[r3 + k];
      }
      storeGram(a, diag, ri, i, j, s0);
      storeGram(a, diag, ri, i, j + 1, s1);
      storeGram(a, diag, ri, i, j + 2, s2);
      storeGram(a, diag, ri, i, j + 3, s3);
    }
    for (; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += a[ri + k] * a[rj + k];
      storeGram(a, diag, ri, i, j, s);
    }
  }
  for (let i = 0; i < n; i++) a[i * n + i] = diag[i];
}

function storeGram(a: Float64Array, diag: Float64Array, ri: number, i: number, j: number, v: number): void {
  if (j === i) diag[i] = v;
  else a[ri + j] = v;
}
