import { AUDIO_FEATURES, type AudioFeature, Catalog } from '@encore/catalog';
import { Rng } from '@encore/linalg';

/** Audio features that are categories (pitch class, major/minor, metre): copied, never perturbed. */
const DISCRETE_FEATURES: ReadonlySet<AudioFeature> = new Set(['key', 'mode', 'timeSignature']);
/** Noise on a continuous feature, as a share of that feature's standard deviation over the source. */
const FEATURE_NOISE = 0.1;
const POPULARITY_NOISE = 3;
const DURATION_NOISE = 0.05;

/**
 * A catalog of exactly `size` songs drawn from `source` with a seeded RNG, for scaling benchmarks.
 * Up to the source's size it is a sample without replacement (songs kept as they are, ids included).
 * Beyond it every song is a perturbed copy of a random source row: continuous audio features get
 * Gaussian noise of 10% of their spread (clamped to the source's range), popularity ±3, duration ±5%;
 * key, mode, time signature, explicit, artists, genres, name and album are the source row's; ids are
 * `syn0000001`… so they never collide with real ones. Same source, size and seed ⇒ the same catalog.
 */
export function sizedCatalog(source: Catalog, size: number, seed: number): Catalog {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`catalog size must be a positive integer, got ${size}`);
  if (source.size === 0) throw new RangeError('cannot draw songs from an empty catalog');
  const rng = new Rng(seed);
  const synthetic = size > source.size;
  const rows = synthetic
    ? Int32Array.from({ length: size }, () => rng.int(source.size))
    : sample(source.size, size, rng);

  const idWidth = Math.max(7, String(size).length);
  const ids = synthetic
    ? Array.from({ length: size }, (_, j) => `syn${String(j + 1).padStart(idWidth, '0')}`)
    : Array.from(rows, (r) => source.ids[r]);
  const [artistOffsets, artistIds] = gather(rows, source.artistOffsets, source.artistIds);
  const [genreOffsets, genreIds] = gather(rows, source.genreOffsets, source.genreIds);
  const popularity = new Float32Array(size);
  const durationMs = new Float32Array(size);
  const explicit = new Uint8Array(size);
  for (let j = 0; j < size; j++) {
    const r = rows[j];
    popularity[j] = source.popularity[r];
    durationMs[j] = source.durationMs[r];
    explicit[j] = source.explicit[r];
  }
  const audio = {} as Record<AudioFeature, Float32Array>;
  for (const f of AUDIO_FEATURES) {
    const column = source.audio[f];
    const out = new Float32Array(size);
    for (let j = 0; j < size; j++) out[j] = column[rows[j]];
    audio[f] = out;
  }

  if (synthetic) {
    for (let j = 0; j < size; j++) {
      popularity[j] = Math.min(100, Math.max(0, Math.round(popularity[j] + POPULARITY_NOISE * rng.normal())));
      durationMs[j] = Math.max(1_000, Math.round(durationMs[j] * (1 + DURATION_NOISE * rng.normal())));
    }
    for (const f of AUDIO_FEATURES) {
      if (DISCRETE_FEATURES.has(f)) continue;
      const { min, max, std } = spread(source.audio[f]);
      const out = audio[f];
      for (let j = 0; j < size; j++) out[j] = Math.min(max, Math.max(min, out[j] + FEATURE_NOISE * std * rng.normal()));
    }
  }

  return new Catalog(
    ids,
    Array.from(rows, (r) => source.names[r]),
    Array.from(rows, (r) => source.albums[r]),
    source.artistNames,
    artistOffsets,
    artistIds,
    source.genreNames,
    genreOffsets,
    genreIds,
    popularity,
    durationMs,
    explicit,
    audio,
  );
}

/** `k` distinct indices of 0…n−1 in random order (partial Fisher–Yates). */
function sample(n: number, k: number, rng: Rng): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k);
}

/** The multi-valued attribute (offsets + ids) of the given source rows, in that order. */
function gather(rows: Int32Array, offsets: Int32Array, ids: Int32Array): [Int32Array, Int32Array] {
  const outOffsets = new Int32Array(rows.length + 1);
  for (let j = 0; j < rows.length; j++) outOffsets[j + 1] = outOffsets[j] + offsets[rows[j] + 1] - offsets[rows[j]];
  const outIds = new Int32Array(outOffsets[rows.length]);
  for (let j = 0; j < rows.length; j++) outIds.set(ids.subarray(offsets[rows[j]], offsets[rows[j] + 1]), outOffsets[j]);
  return [outOffsets, outIds];
}

/** Range and standard deviation of the finite values (NaN marks a missing value). */
function spread(values: Float32Array): { min: number; max: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    const d = v - mean;
    mean += d / ++n;
    m2 += d * (v - mean);
  }
  return n === 0 ? { min: 0, max: 0, std: 0 } : { min, max, std: Math.sqrt(m2 / n) };
}
