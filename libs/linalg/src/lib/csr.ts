/**
 * Compressed sparse row matrix of float32 values: rows are users (or items), columns items.
 * Row r's entries are colIdx/values[rowPtr[r] … rowPtr[r+1]), column indices ascending.
 */
export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly rowPtr: Int32Array,
    readonly colIdx: Int32Array,
    readonly values: Float32Array,
  ) {
    if (rowPtr.length !== rows + 1) throw new Error(`rowPtr has ${rowPtr.length} entries, expected ${rows + 1}`);
    if (colIdx.length !== values.length) throw new Error('colIdx and values differ in length');
  }

  get nnz(): number {
    return this.values.length;
  }

  rowLength(r: number): number {
    return this.rowPtr[r + 1] - this.rowPtr[r];
  }

  get(r: number, c: number): number {
    let lo = this.rowPtr[r];
    let hi = this.rowPtr[r + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.colIdx[mid];
      if (v === c) return this.values[mid];
      if (v < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * Builds from coordinate triples; duplicates (same row and column) are summed,
   * which is how repeated plays accumulate.
   */
  static fromTriples(rows: number, cols: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): CsrMatrix {
    const n = r.length;
    const counts = new Int32Array(rows + 1);
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      if (ri < 0 || ri >= rows || c[i] < 0 || c[i] >= cols) throw new Error(`entry ${i} (${ri}, ${c[i]}) outside ${rows}×${cols}`);
      counts[ri + 1]++;
    }
    for (let i = 0; i < rows; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, rows);
    const colTmp = new Int32Array(n);
    const valTmp = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const p = fill[r[i]]++;
      colTmp[p] = c[i];
      valTmp[p] = v[i];
    }
    // Sort each row by column and merge duplicates.
    const rowPtr = new Int32Array(rows + 1);
    const colIdx = new Int32Array(n);
    const values = new Float32Array(n);
    let out = 0;
    const order: number[] = [];
    for (let row = 0; row < rows; row++) {
      rowPtr[row] = out;
      const start = counts[row];
      const end = counts[row + 1];
      order.length = 0;
      for (let p = start; p < end; p++) order.push(p);
      order.sort((a, b) => colTmp[a] - colTmp[b]);
      for (const p of order) {
        if (out > rowPtr[row] && colIdx[out - 1] === colTmp[p]) {
          values[out - 1] += valTmp[p];
        } else {
          colIdx[out] = colTmp[p];
          values[out] = valTmp[p];
          out++;
        }
      }
    }
    rowPtr[rows] = out;
    return new CsrMatrix(rows, cols, rowPtr, colIdx.slice(0, out), values.slice(0, out));
  }

  /** The transpose (items × users), still CSR with ascending column indices. */
  transpose(): CsrMatrix {
    const counts = new Int32Array(this.cols + 1);
    for (let i = 0; i < this.nnz; i++) counts[this.colIdx[i] + 1]++;
    for (let i = 0; i < this.cols; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, this.cols);
    const colIdx = new Int32Array(this.nnz);
    const values = new Float32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.rowPtr[r]; p < this.rowPtr[r + 1]; p++) {
        const q = fill[this.colIdx[p]]++;
        colIdx[q] = r;
        values[q] = this.values[p];
      }
    }
    return new CsrMatrix(this.cols, this.rows, counts, colIdx, values);
  }

  /** Applies f to every stored value, keeping the sparsity pattern. */
  map(f: (v: number, row: number, col: number) => number): CsrMatrix {
    const values = new Float32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.rowPtr[r]; p < this.rowPtr[r + 1]; p++) values[p] = f(this.values[p], r, this.colIdx[p]);
    }
    return new CsrMatrix(this.rows, this.cols, this.rowPtr, this.colIdx, values);
  }

  toDense(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let r = 0; r < this.rows; r++) {
      const row = new Float64Array(this.cols);
      for (let p = this.rowPtr[r]; p < this.rowPtr[r + 1]; p++) row[this.colIdx[p]] = this.values[p];
      out.push(row);
    }
    return out;
  }
}
