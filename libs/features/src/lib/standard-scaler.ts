export interface StandardScalerJson {
  mean: number[];
  std: number[];
}

/**
 * Per-column standardisation z = (x − mean) / std, fitted on typed-array columns.
 * std is the population standard deviation (as scikit-learn's StandardScaler); a constant
 * column divides by 1 instead of 0. Missing values (NaN) are left out of the fit and
 * transform to 0, i.e. the column mean, so optional columns (release year) stay usable.
 * The fitted figures travel in the model artifact so songs added later transform the same way.
 */
export class StandardScaler {
  readonly mean: Float64Array;
  readonly std: Float64Array;
  private readonly inv: Float64Array;

  constructor(mean: ArrayLike<number>, std: ArrayLike<number>) {
    if (mean.length !== std.length)
      throw new Error(`scaler has ${mean.length} means but ${std.length} standard deviations`);
    this.mean = Float64Array.from(mean);
    this.std = Float64Array.from(std);
    this.inv = new Float64Array(this.std.length);
    for (let j = 0; j < this.std.length; j++) {
      const s = this.std[j];
      if (!(s >= 0)) throw new Error(`standard deviation of column ${j} must be ≥ 0, got ${s}`);
      this.inv[j] = s > 0 ? 1 / s : 1;
    }
  }

  static fit(columns: readonly ArrayLike<number>[]): StandardScaler {
    const mean = new Float64Array(columns.length);
    const std = new Float64Array(columns.length);
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j];
      // Two passes (mean, then squared deviations) for accuracy over 100K+ rows.
      let n = 0;
      let s = 0;
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (v === v) {
          s += v;
          n++;
        }
      }
      const m = n > 0 ? s / n : 0;
      let ss = 0;
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (v === v) ss += (v - m) * (v - m);
      }
      mean[j] = m;
      std[j] = n > 0 ? Math.sqrt(ss / n) : 0;
    }
    return new StandardScaler(mean, std);
  }

  get size(): number {
    return this.mean.length;
  }

  transformValue(column: number, v: number): number {
    return v === v ? (v - this.mean[column]) * this.inv[column] : 0;
  }

  inverseValue(column: number, z: number): number {
    return z * (this.std[column] > 0 ? this.std[column] : 1) + this.mean[column];
  }

  transformColumn(column: number, values: ArrayLike<number>, out = new Float32Array(values.length)): Float32Array {
    const m = this.mean[column];
    const inv = this.inv[column];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = v === v ? (v - m) * inv : 0;
    }
    return out;
  }

  transform(columns: readonly ArrayLike<number>[]): Float32Array[] {
    if (columns.length !== this.size)
      throw new Error(`scaler was fitted on ${this.size} columns, got ${columns.length}`);
    return columns.map((c, j) => this.transformColumn(j, c));
  }

  toJSON(): StandardScalerJson {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  static fromJSON(json: StandardScalerJson): StandardScaler {
    return new StandardScaler(json.mean, json.std);
  }
}
