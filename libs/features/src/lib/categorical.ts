/** Sorted by code unit (not locale), so a vocabulary is the same on every machine and input order. */
function sortedUnique(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const v of values) seen.add(v);
  return [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function indexMap(categories: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  categories.forEach((c, i) => {
    if (map.has(c)) throw new Error(`category "${c}" appears twice`);
    map.set(c, i);
  });
  return map;
}

/**
 * Maps strings (artist, album) to dense codes 0…size−1 in sorted order. Unseen values
 * encode to −1 rather than growing the vocabulary, so a fitted encoder never changes.
 */
export class LabelEncoder {
  private readonly lookup: Map<string, number>;

  constructor(readonly classes: readonly string[]) {
    this.lookup = indexMap(classes);
  }

  static fit(values: Iterable<string>): LabelEncoder {
    return new LabelEncoder(sortedUnique(values));
  }

  get size(): number {
    return this.classes.length;
  }

  encode(value: string): number {
    return this.lookup.get(value) ?? -1;
  }

  encodeAll(values: readonly string[], out = new Int32Array(values.length)): Int32Array {
    for (let i = 0; i < values.length; i++) out[i] = this.lookup.get(values[i]) ?? -1;
    return out;
  }

  decode(code: number): string {
    const c = this.classes[code];
    if (c === undefined) throw new RangeError(`label code ${code} is outside 0…${this.size - 1}`);
    return c;
  }

  toJSON(): { classes: string[] } {
    return { classes: [...this.classes] };
  }

  static fromJSON(json: { classes: string[] }): LabelEncoder {
    return new LabelEncoder(json.classes);
  }
}

/**
 * Multi-hot encoding of multi-valued categories (a song in rock and metal gets two ones).
 * Categories are sorted; unknown categories are ignored so new genres never shift columns.
 */
export class OneHotEncoder {
  private readonly lookup: Map<string, number>;

  constructor(readonly categories: readonly string[]) {
    this.lookup = indexMap(categories);
  }

  /** Fits on rows that are either one category or a list of them. */
  static fit(rows: Iterable<string | readonly string[]>): OneHotEncoder {
    const all: string[] = [];
    for (const r of rows) {
      if (typeof r === 'string') all.push(r);
      else for (const c of r) all.push(c);
    }
    return new OneHotEncoder(sortedUnique(all));
  }

  get size(): number {
    return this.categories.length;
  }

  indexOf(category: string): number {
    return this.lookup.get(category) ?? -1;
  }

  /** Writes `value` at each category's column of `out[offset …]`; returns how many were known. */
  encodeInto(categories: readonly string[], out: Float32Array, offset = 0, value = 1): number {
    let known = 0;
    for (const c of categories) {
      const j = this.lookup.get(c);
      if (j !== undefined) {
        out[offset + j] = value;
        known++;
      }
    }
    return known;
  }

  encode(categories: readonly string[]): Float32Array {
    const out = new Float32Array(this.size);
    this.encodeInto(categories, out);
    return out;
  }

  /** Row-major rows × size matrix for a list of rows. */
  encodeRows(rows: readonly (readonly string[])[]): Float32Array {
    const out = new Float32Array(rows.length * this.size);
    for (let r = 0; r < rows.length; r++) this.encodeInto(rows[r], out, r * this.size);
    return out;
  }

  /**
   * Column of this encoder for each entry of a foreign vocabulary (−1 when unknown): lets
   * columnar data (catalog genreIds over catalog.genreNames) be encoded with integer loops.
   */
  columnsFor(vocabulary: readonly string[]): Int32Array {
    const out = new Int32Array(vocabulary.length);
    for (let v = 0; v < vocabulary.length; v++) out[v] = this.lookup.get(vocabulary[v]) ?? -1;
    return out;
  }

  /** Categories whose column is non-zero in `row`. */
  decode(row: ArrayLike<number>, offset = 0): string[] {
    const out: string[] = [];
    for (let j = 0; j < this.size; j++) if (row[offset + j] !== 0) out.push(this.categories[j]);
    return out;
  }

  toJSON(): { categories: string[] } {
    return { categories: [...this.categories] };
  }

  static fromJSON(json: { categories: string[] }): OneHotEncoder {
    return new OneHotEncoder(json.categories);
  }
}

/**
 * Buckets a numeric column by ascending inner edges: bucket b holds edges[b−1] ≤ v < edges[b],
 * so there are edges.length + 1 buckets. NaN (missing) maps to −1.
 */
export class Bucketizer {
  readonly edges: Float64Array;

  constructor(edges: ArrayLike<number>) {
    this.edges = Float64Array.from(edges);
    for (let i = 1; i < this.edges.length; i++) {
      if (!(this.edges[i] > this.edges[i - 1]))
        throw new Error(`bucket edges must be strictly ascending; edge ${i} is ${this.edges[i]}`);
    }
  }

  /** `buckets` equal-width buckets over [min, max]; values outside go to the end buckets. */
  static uniform(min: number, max: number, buckets: number): Bucketizer {
    if (!(max > min) || !(buckets >= 1) || !Number.isInteger(buckets)) {
      throw new Error(`uniform buckets need min < max and an integer count ≥ 1, got [${min}, ${max}] × ${buckets}`);
    }
    const edges: number[] = [];
    for (let b = 1; b < buckets; b++) edges.push(min + ((max - min) * b) / buckets);
    return new Bucketizer(edges);
  }

  /** Buckets of fixed `width` aligned to multiples of it (decades for years: width 10). */
  static aligned(min: number, max: number, width: number): Bucketizer {
    if (!(width > 0) || !(max >= min))
      throw new Error(`aligned buckets need width > 0 and min ≤ max, got [${min}, ${max}] by ${width}`);
    const edges: number[] = [];
    for (let e = Math.floor(min / width) * width + width; e <= max; e += width) edges.push(e);
    return new Bucketizer(edges);
  }

  /** Roughly equal-count buckets from the values' quantiles (NaN ignored; duplicate edges merged). */
  static quantile(values: ArrayLike<number>, buckets: number): Bucketizer {
    const sorted = Float64Array.from(values)
      .filter((v) => v === v)
      .sort();
    const edges: number[] = [];
    for (let b = 1; b < buckets && sorted.length > 0; b++) {
      const e = sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * b) / buckets))];
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
    return new Bucketizer(edges);
  }

  get size(): number {
    return this.edges.length + 1;
  }

  bucketOf(v: number): number {
    if (v !== v) return -1;
    let lo = 0;
    let hi = this.edges.length;
    // First edge strictly greater than v.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.edges[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  bucketAll(values: ArrayLike<number>, out = new Int32Array(values.length)): Int32Array {
    for (let i = 0; i < values.length; i++) out[i] = this.bucketOf(values[i]);
    return out;
  }

  toJSON(): { edges: number[] } {
    return { edges: Array.from(this.edges) };
  }

  static fromJSON(json: { edges: number[] }): Bucketizer {
    return new Bucketizer(json.edges);
  }
}
