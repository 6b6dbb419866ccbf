import { blobOf } from '@encore/features';
import { TopK } from '@encore/linalg';
import type { Blob } from '@encore/model-artifact';

/** A dense block of item features: `values` is items × dim, row-major. */
export interface DenseFeatures {
  dim: number;
  values: Float32Array;
  /** Share of the block in the item vector (see ItemFeatures). Default 1. */
  weight?: number;
}

/**
 * A sparse categorical block (genres, tags) in CSR form: item i's entries are
 * ids/values[offsets[i] … offsets[i+1]), ids indexing `vocabulary`.
 */
export interface SparseFeatures {
  offsets: Int32Array;
  ids: Int32Array;
  values: Float32Array;
  vocabulary: readonly string[];
  /** Share of the block in the item vector (see ItemFeatures). Default 1. */
  weight?: number;
}

export interface ItemFeaturesInput {
  /** Item ids, one per row; the model aligns them with the interaction matrix's items. */
  ids: readonly string[];
  dense?: DenseFeatures;
  sparse?: SparseFeatures;
  /**
   * Scale each block of a row to unit length before weighting (default true), so the weights
   * mean "how much does sounding alike count against sharing a tag". Turn off for input that is
   * already weighted, such as SongFeatureEncoder output.
   */
  normalizeBlocks?: boolean;
}

/** The serialisable form: blobs under `prefix` plus JSON meta. */
export interface ItemFeaturesState {
  blobs: Record<string, Blob>;
  meta: { ids: string[]; vocabulary: string[]; denseDim: number };
}

const EMPTY_F32 = new Float32Array(0);

/**
 * Item vectors for content similarity, split into a dense part (a few scaled audio features)
 * and a sparse categorical part (genre or tag ids with weights, CSR), so that scoring a profile
 * against every item costs O(items · (dense dim + mean tags per item)) rather than a pass over a
 * dense items × (dim + vocabulary) matrix. Every row is scaled to unit length once, so a dot
 * product of two rows is their cosine and a profile's dot product with a row is its cosine up
 * to the profile's own norm. Items without any feature are zero rows: they score 0 and are
 * similar to nothing.
 *
 * Block weights: with normalizeBlocks each block is first scaled to unit length, then by
 * √weight, so cos(a, b) = Σ_block w·cos_block(a, b) / √(W_a·W_b) with W the summed weights of
 * the row's non-empty blocks.
 */
export class ItemFeatures {
  readonly size: number;
  readonly denseDim: number;
  /** items × denseDim, unit rows (together with the sparse part). */
  readonly dense: Float32Array;
  readonly offsets: Int32Array;
  /** Ascending within each row, so two rows' sparse parts merge in one pass. */
  readonly ids: Int32Array;
  readonly values: Float32Array;
  readonly vocabulary: readonly string[];
  private idLookup: Map<string, number> | null = null;

  private constructor(
    readonly itemIds: readonly string[],
    denseDim: number,
    dense: Float32Array,
    offsets: Int32Array,
    ids: Int32Array,
    values: Float32Array,
    vocabulary: readonly string[],
  ) {
    this.size = itemIds.length;
    this.denseDim = denseDim;
    this.dense = dense;
    this.offsets = offsets;
    this.ids = ids;
    this.values = values;
    this.vocabulary = vocabulary;
  }

  /** Validates, sorts each sparse row, weights the blocks and scales every row to unit length (copies the input). */
  static build(input: ItemFeaturesInput): ItemFeatures {
    const n = input.ids.length;
    const { dense, sparse } = input;
    const normalizeBlocks = input.normalizeBlocks ?? true;
    const dim = dense ? dense.dim : 0;
    if (dense) {
      if (!Number.isInteger(dim) || dim < 1)
        throw new Error(`item features: dense dim must be a positive integer, got ${dim}`);
      if (dense.values.length !== n * dim) {
        throw new Error(`item features: dense values hold ${dense.values.length} floats, expected ${n} items × ${dim}`);
      }
    }
    if (sparse) {
      if (sparse.offsets.length !== n + 1)
        throw new Error(`item features: sparse offsets cover ${sparse.offsets.length - 1} items, expected ${n}`);
      if (sparse.ids.length !== sparse.values.length)
        throw new Error('item features: sparse ids and values differ in length');
      if (sparse.offsets[0] !== 0 || sparse.offsets[n] !== sparse.ids.length)
        throw new Error('item features: sparse offsets must run from 0 to the number of entries');
      const v = sparse.vocabulary.length;
      for (let p = 0; p < sparse.ids.length; p++) {
        if (!(sparse.ids[p] >= 0 && sparse.ids[p] < v))
          throw new Error(`item features: sparse id ${sparse.ids[p]} is outside the ${v}-entry vocabulary`);
      }
    }
    for (const [block, w] of [
      ['dense', dense?.weight],
      ['sparse', sparse?.weight],
    ] as const) {
      if (w !== undefined && !(w >= 0)) throw new Error(`item features: ${block} weight must be ≥ 0, got ${w}`);
    }
    const denseW = dense?.weight ?? 1;
    const sparseW = sparse?.weight ?? 1;

    const outDense = dense ? Float32Array.from(dense.values) : EMPTY_F32;
    const offsets = sparse ? Int32Array.from(sparse.offsets) : new Int32Array(n + 1);
    const ids = sparse ? new Int32Array(sparse.ids.length) : new Int32Array(0);
    const values = sparse ? new Float32Array(sparse.values.length) : EMPTY_F32;
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      let denseSq = 0;
      for (let j = i * dim; j < (i + 1) * dim; j++) {
        if (!Number.isFinite(outDense[j]))
          throw new Error(`item features: item ${input.ids[i]} has a non-finite dense value`);
        denseSq += outDense[j] * outDense[j];
      }
      let sparseSq = 0;
      if (sparse) {
        const s = sparse.offsets[i];
        const e = sparse.offsets[i + 1];
        order.length = 0;
        for (let p = s; p < e; p++) order.push(p);
        order.sort((a, b) => sparse.ids[a] - sparse.ids[b]);
        for (let t = 0; t < order.length; t++) {
          const id = sparse.ids[order[t]];
          const val = sparse.values[order[t]];
          if (!Number.isFinite(val))
            throw new Error(`item features: item ${input.ids[i]} has a non-finite sparse value`);
          if (t > 0 && ids[s + t - 1] === id)
            throw new Error(`item features: item ${input.ids[i]} lists "${sparse.vocabulary[id]}" twice`);
          ids[s + t] = id;
          values[s + t] = val;
          sparseSq += val * val;
        }
      }
      // Block scales: unit length then √weight (or √weight alone), then the whole row to unit length.
      let ds = normalizeBlocks ? (denseSq > 0 ? Math.sqrt(denseW / denseSq) : 0) : Math.sqrt(denseW);
      let ss = normalizeBlocks ? (sparseSq > 0 ? Math.sqrt(sparseW / sparseSq) : 0) : Math.sqrt(sparseW);
      const rowSq = ds * ds * denseSq + ss * ss * sparseSq;
      const rowScale = rowSq > 0 ? 1 / Math.sqrt(rowSq) : 0;
      ds *= rowScale;
      ss *= rowScale;
      for (let j = i * dim; j < (i + 1) * dim; j++) outDense[j] *= ds;
      for (let p = offsets[i]; p < offsets[i + 1]; p++) values[p] *= ss;
    }
    return new ItemFeatures([...input.ids], dim, outDense, offsets, ids, values, sparse ? [...sparse.vocabulary] : []);
  }

  /** Row index of an item id, or -1. */
  indexOf(id: string): number {
    if (!this.idLookup) {
      this.idLookup = new Map();
      for (let i = 0; i < this.itemIds.length; i++) this.idLookup.set(this.itemIds[i], i);
    }
    return this.idLookup.get(id) ?? -1;
  }

  /** Whether item i has any feature (a zero row has none). */
  hasFeatures(i: number): boolean {
    for (let j = i * this.denseDim; j < (i + 1) * this.denseDim; j++) if (this.dense[j] !== 0) return true;
    return this.offsets[i + 1] > this.offsets[i];
  }

  /**
   * The same vectors re-indexed to `itemIds` (e.g. an interaction matrix's items); ids without
   * features get zero rows. Returns `this` when the order already matches.
   */
  alignTo(itemIds: readonly string[]): { features: ItemFeatures; missing: number } {
    if (itemIds.length === this.itemIds.length && itemIds.every((id, i) => id === this.itemIds[i]))
      return { features: this, missing: 0 };
    const n = itemIds.length;
    const dim = this.denseDim;
    const from = new Int32Array(n);
    const offsets = new Int32Array(n + 1);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const r = this.indexOf(itemIds[i]);
      from[i] = r;
      if (r < 0) missing++;
      offsets[i + 1] = offsets[i] + (r >= 0 ? this.offsets[r + 1] - this.offsets[r] : 0);
    }
    const dense = new Float32Array(n * dim);
    const ids = new Int32Array(offsets[n]);
    const values = new Float32Array(offsets[n]);
    for (let i = 0; i < n; i++) {
      const r = from[i];
      if (r < 0) continue;
      dense.set(this.dense.subarray(r * dim, (r + 1) * dim), i * dim);
      ids.set(this.ids.subarray(this.offsets[r], this.offsets[r + 1]), offsets[i]);
      values.set(this.values.subarray(this.offsets[r], this.offsets[r + 1]), offsets[i]);
    }
    return { features: new ItemFeatures([...itemIds], dim, dense, offsets, ids, values, this.vocabulary), missing };
  }

  /** Cosine of items a and b (rows are unit length): dense dot plus a merge of the sorted sparse rows. */
  cosine(a: number, b: number): number {
    const dim = this.denseDim;
    const d = this.dense;
    let s = 0;
    for (let j = 0, oa = a * dim, ob = b * dim; j < dim; j++) s += d[oa + j] * d[ob + j];
    let p = this.offsets[a];
    let q = this.offsets[b];
    const pe = this.offsets[a + 1];
    const qe = this.offsets[b + 1];
    while (p < pe && q < qe) {
      const ia = this.ids[p];
      const ib = this.ids[q];
      if (ia === ib) s += this.values[p++] * this.values[q++];
      else if (ia < ib) p++;
      else q++;
    }
    return s;
  }

  /** profile += weight · x_item, with the profile split into its dense and vocabulary parts. */
  accumulate(item: number, weight: number, profileDense: Float64Array, profileSparse: Float64Array): void {
    const dim = this.denseDim;
    for (let j = 0, o = item * dim; j < dim; j++) profileDense[j] += weight * this.dense[o + j];
    for (let p = this.offsets[item]; p < this.offsets[item + 1]; p++)
      profileSparse[this.ids[p]] += weight * this.values[p];
  }

  /**
   * out[i] = profile · x_i for every item: the dense dot product plus one vocabulary lookup per
   * sparse entry. The profile's sparse part is a dense array over the vocabulary.
   */
  scoreProfile(profileDense: ArrayLike<number>, profileSparse: ArrayLike<number>, out: Float32Array): Float32Array {
    const n = this.size;
    const dim = this.denseDim;
    const d = this.dense;
    const offsets = this.offsets;
    const ids = this.ids;
    const values = this.values;
    if (dim === 0) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let p = offsets[i]; p < offsets[i + 1]; p++) s += profileSparse[ids[p]] * values[p];
        out[i] = s;
      }
      return out;
    }
    for (let i = 0, o = 0; i < n; i++, o += dim) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += d[o + j] * profileDense[j];
      for (let p = offsets[i]; p < offsets[i + 1]; p++) s += profileSparse[ids[p]] * values[p];
      out[i] = s;
    }
    return out;
  }

  /** The k items with the highest positive cosine to `item`, best first (one pass over the items). */
  mostSimilar(item: number, k: number): { index: number; score: number }[] {
    if (!Number.isInteger(item) || item < 0 || item >= this.size) {
      throw new RangeError(`item features: item index ${item} is outside the ${this.size} items`);
    }
    if (k <= 0) return [];
    const profileDense = new Float64Array(this.denseDim);
    const profileSparse = new Float64Array(this.vocabulary.length);
    this.accumulate(item, 1, profileDense, profileSparse);
    const scores = this.scoreProfile(profileDense, profileSparse, new Float32Array(this.size));
    const heap = new TopK(k);
    for (let i = 0; i < scores.length; i++)
      if (i !== item && scores[i] > 0 && scores[i] >= heap.threshold) heap.push(i, scores[i]);
    return heap.toSorted();
  }

  toState(prefix = 'features'): ItemFeaturesState {
    return {
      blobs: {
        [`${prefix}.dense`]: this.dense,
        [`${prefix}.offsets`]: this.offsets,
        [`${prefix}.ids`]: this.ids,
        [`${prefix}.values`]: this.values,
      },
      meta: { ids: [...this.itemIds], vocabulary: [...this.vocabulary], denseDim: this.denseDim },
    };
  }

  /** Restores stored (already normalised) vectors as they were, checking that the parts fit together. */
  static fromState(blobs: Record<string, Blob>, meta: Record<string, unknown>, prefix = 'features'): ItemFeatures {
    const ids = meta['ids'];
    const vocabulary = meta['vocabulary'];
    const denseDim = meta['denseDim'];
    if (!isStringArray(ids) || !isStringArray(vocabulary) || typeof denseDim !== 'number') {
      throw new Error('item features: artifact meta lacks ids, vocabulary or denseDim');
    }
    const dense = blobOf(blobs, `${prefix}.dense`, Float32Array);
    const offsets = blobOf(blobs, `${prefix}.offsets`, Int32Array);
    const sparseIds = blobOf(blobs, `${prefix}.ids`, Int32Array);
    const values = blobOf(blobs, `${prefix}.values`, Float32Array);
    const n = ids.length;
    if (
      dense.length !== n * denseDim ||
      offsets.length !== n + 1 ||
      offsets[n] !== sparseIds.length ||
      sparseIds.length !== values.length
    ) {
      throw new Error(`item features: stored blobs do not fit ${n} items × ${denseDim} dense dims`);
    }
    return new ItemFeatures(ids, denseDim, dense, offsets, sparseIds, values, vocabulary);
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
