import { AUDIO_FEATURES, type AudioFeature, type Catalog } from '@encore/catalog';
import { Bucketizer, OneHotEncoder } from './categorical';
import { StandardScaler, type StandardScalerJson } from './standard-scaler';

export type FeatureGroupName = 'audio' | 'genre' | 'popularity' | 'year';

/** Where a group of columns sits in an encoded row, and its weight. */
export interface FeatureGroup {
  name: FeatureGroupName;
  offset: number;
  size: number;
  weight: number;
}

export interface SongFeatureEncoderOptions {
  /** Relative weight per group ("sounds like" vs "same genre"); 0 drops the group. */
  weights?: Partial<Record<FeatureGroupName, number>>;
  /** Audio columns to use, default all of AUDIO_FEATURES. */
  audioFeatures?: readonly AudioFeature[];
  /** Equal-width popularity buckets over Spotify's 0…100 scale. Default 10. */
  popularityBuckets?: number;
  /** Release-year bucket width (10 = decades). Default 10. */
  yearBucketWidth?: number;
  /** Scale each group to unit length before weighting. Default true. */
  normalizeGroups?: boolean;
  /** Scale each row to unit length (dot product = cosine). Default true. */
  normalizeRows?: boolean;
}

/** Optional per-song columns the catalog does not carry, aligned with catalog rows; NaN = missing. */
export interface SongExtraColumns {
  year?: ArrayLike<number>;
}

export interface SongFeatureEncoderJson {
  version: 1;
  weights: Record<FeatureGroupName, number>;
  audioFeatures: AudioFeature[];
  normalizeGroups: boolean;
  normalizeRows: boolean;
  scaler: StandardScalerJson;
  genres: string[];
  popularityEdges: number[];
  yearEdges: number[] | null;
}

export const DEFAULT_FEATURE_WEIGHTS: Readonly<Record<FeatureGroupName, number>> = Object.freeze({
  audio: 1,
  genre: 1,
  popularity: 0.25,
  year: 0.25,
});

/**
 * Turns a columnar Catalog into one row-major Float32Array (songs × dim) for content
 * similarity: standardised audio features | multi-hot genres | popularity bucket | year bucket.
 *
 * Each block is scaled by √weight, after being scaled to unit length when `normalizeGroups`
 * is on. With both normalisations on, the dot product of two rows is
 * Σ_g w_g·cos_g / √(W_a·W_b), W = Σ of the weights of the row's non-empty groups: a weighted
 * average of per-group cosines, which is what makes the weights mean "how much does sounding
 * alike count against sharing a genre".
 *
 * Fitted state (scaler, genre vocabulary, bucket edges) serialises with toJSON so songs
 * added later encode the same way. The encode loop is typed arrays only (~1M songs/s).
 */
export class SongFeatureEncoder {
  readonly groups: readonly FeatureGroup[];
  readonly dim: number;
  private readonly group: Partial<Record<FeatureGroupName, FeatureGroup>> = {};

  constructor(
    readonly weights: Readonly<Record<FeatureGroupName, number>>,
    readonly audioFeatures: readonly AudioFeature[],
    readonly scaler: StandardScaler,
    readonly genres: OneHotEncoder,
    readonly popularityBuckets: Bucketizer,
    readonly yearBuckets: Bucketizer | null,
    readonly normalizeGroups = true,
    readonly normalizeRows = true,
  ) {
    if (scaler.size !== audioFeatures.length)
      throw new Error(`scaler has ${scaler.size} columns for ${audioFeatures.length} audio features`);
    for (const [name, w] of Object.entries(weights)) {
      if (!(w >= 0)) throw new Error(`weight of feature group "${name}" must be ≥ 0, got ${w}`);
    }
    const sizes: [FeatureGroupName, number][] = [
      ['audio', audioFeatures.length],
      ['genre', genres.size],
      ['popularity', popularityBuckets.size],
      ['year', yearBuckets ? yearBuckets.size : 0],
    ];
    const groups: FeatureGroup[] = [];
    let offset = 0;
    for (const [name, size] of sizes) {
      if (size === 0 || weights[name] === 0) continue;
      const g = { name, offset, size, weight: weights[name] };
      groups.push(g);
      this.group[name] = g;
      offset += size;
    }
    this.groups = groups;
    this.dim = offset;
  }

  static fit(
    catalog: Catalog,
    options: SongFeatureEncoderOptions = {},
    extra: SongExtraColumns = {},
  ): SongFeatureEncoder {
    const weights = { ...DEFAULT_FEATURE_WEIGHTS, ...(options.weights ?? {}) };
    const audioFeatures = [...(options.audioFeatures ?? AUDIO_FEATURES)];
    const scaler = StandardScaler.fit(audioFeatures.map((f) => catalog.audio[f]));
    const genres = new OneHotEncoder([...catalog.genreNames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const popularity = Bucketizer.uniform(0, 100, options.popularityBuckets ?? 10);
    let year: Bucketizer | null = null;
    if (extra.year) {
      assertAligned('year', extra.year, catalog.size);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < extra.year.length; i++) {
        const y = extra.year[i];
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
      if (lo <= hi) year = Bucketizer.aligned(lo, hi, options.yearBucketWidth ?? 10);
    }
    return new SongFeatureEncoder(
      weights,
      audioFeatures,
      scaler,
      genres,
      popularity,
      year,
      options.normalizeGroups ?? true,
      options.normalizeRows ?? true,
    );
  }

  /** A new songs × dim matrix. */
  encode(catalog: Catalog, extra: SongExtraColumns = {}): Float32Array {
    return this.write(catalog, new Float32Array(catalog.size * this.dim), extra, false);
  }

  /** Writes song rows into `out` (at least songs × dim long), overwriting those entries. */
  encodeInto(catalog: Catalog, out: Float32Array, extra: SongExtraColumns = {}): Float32Array {
    return this.write(catalog, out, extra, true);
  }

  /**
   * One pass per song. Each group's squared norm is known as soon as its scale is, so the row
   * norm is their sum and every value is written once, already final — no second sweep over
   * the mostly-zero row.
   */
  private write(catalog: Catalog, out: Float32Array, extra: SongExtraColumns, clear: boolean): Float32Array {
    const n = catalog.size;
    const dim = this.dim;
    if (out.length < n * dim) throw new RangeError(`output holds ${out.length} floats, need ${n} songs × ${dim}`);
    if (extra.year) assertAligned('year', extra.year, n);
    if (clear) out.fill(0, 0, n * dim);

    const audio = this.group.audio;
    const genre = this.group.genre;
    const pop = this.group.popularity;
    const year = this.yearBuckets ? this.group.year : undefined;
    const cols = this.audioFeatures.map((f) => catalog.audio[f]);
    const nCols = cols.length;
    const mean = this.scaler.mean;
    const inv = new Float64Array(nCols);
    for (let j = 0; j < nCols; j++) inv[j] = this.scaler.std[j] > 0 ? 1 / this.scaler.std[j] : 1;
    const z = new Float64Array(nCols);
    const genreCol = this.genres.columnsFor(catalog.genreNames);
    const gOff = catalog.genreOffsets;
    const gIds = catalog.genreIds;
    const popularity = catalog.popularity;
    const years = extra.year;
    const normGroups = this.normalizeGroups;

    for (let r = 0, base = 0; r < n; r++, base += dim) {
      let total = 0;
      let audioScale = 0;
      if (audio) {
        let ss = 0;
        for (let j = 0; j < nCols; j++) {
          const v = cols[j][r];
          const zj = v === v ? (v - mean[j]) * inv[j] : 0;
          z[j] = zj;
          ss += zj * zj;
        }
        audioScale = normGroups ? (ss > 0 ? Math.sqrt(audio.weight / ss) : 0) : Math.sqrt(audio.weight);
        total += audioScale * audioScale * ss;
      }
      let known = 0;
      let genreValue = 0;
      if (genre) {
        for (let p = gOff[r]; p < gOff[r + 1]; p++) if (genreCol[gIds[p]] >= 0) known++;
        if (known > 0) {
          genreValue = Math.sqrt(normGroups ? genre.weight / known : genre.weight);
          total += genreValue * genreValue * known;
        }
      }
      const popBucket = pop ? this.popularityBuckets.bucketOf(popularity[r]) : -1;
      if (pop && popBucket >= 0) total += pop.weight;
      const yearBucket = year && years && this.yearBuckets ? this.yearBuckets.bucketOf(years[r]) : -1;
      if (year && yearBucket >= 0) total += year.weight;

      const rowScale = this.normalizeRows && total > 0 ? 1 / Math.sqrt(total) : 1;
      if (audio) {
        const s = audioScale * rowScale;
        const o = base + audio.offset;
        for (let j = 0; j < nCols; j++) out[o + j] = z[j] * s;
      }
      if (genre && known > 0) {
        const v = genreValue * rowScale;
        for (let p = gOff[r]; p < gOff[r + 1]; p++) {
          const c = genreCol[gIds[p]];
          if (c >= 0) out[base + genre.offset + c] = v;
        }
      }
      if (pop && popBucket >= 0) out[base + pop.offset + popBucket] = Math.sqrt(pop.weight) * rowScale;
      if (year && yearBucket >= 0) out[base + year.offset + yearBucket] = Math.sqrt(year.weight) * rowScale;
    }
    return out;
  }

  toJSON(): SongFeatureEncoderJson {
    return {
      version: 1,
      weights: { ...this.weights },
      audioFeatures: [...this.audioFeatures],
      normalizeGroups: this.normalizeGroups,
      normalizeRows: this.normalizeRows,
      scaler: this.scaler.toJSON(),
      genres: [...this.genres.categories],
      popularityEdges: Array.from(this.popularityBuckets.edges),
      yearEdges: this.yearBuckets ? Array.from(this.yearBuckets.edges) : null,
    };
  }

  static fromJSON(json: SongFeatureEncoderJson): SongFeatureEncoder {
    if (json.version !== 1) throw new Error(`unsupported SongFeatureEncoder version ${String(json.version)}`);
    return new SongFeatureEncoder(
      json.weights,
      json.audioFeatures,
      StandardScaler.fromJSON(json.scaler),
      new OneHotEncoder(json.genres),
      new Bucketizer(json.popularityEdges),
      json.yearEdges ? new Bucketizer(json.yearEdges) : null,
      json.normalizeGroups,
      json.normalizeRows,
    );
  }
}

function assertAligned(name: string, column: ArrayLike<number>, songs: number): void {
  if (column.length !== songs)
    throw new Error(`extra column "${name}" has ${column.length} entries for ${songs} songs`);
}
