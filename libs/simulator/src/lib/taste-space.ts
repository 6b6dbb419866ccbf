import type { Catalog } from '@encore/catalog';

/**
 * The audio features listeners' tastes are expressed in. All are already in [0, 1] except tempo,
 * which is mapped linearly from [TEMPO_MIN_BPM, TEMPO_MAX_BPM] and clamped, so one spread value
 * means the same thing on every axis.
 */
export const TASTE_FEATURES = [
  'danceability',
  'energy',
  'valence',
  'acousticness',
  'instrumentalness',
  'tempo',
] as const;
export type TasteFeature = (typeof TASTE_FEATURES)[number];
export const TASTE_DIMENSIONS = TASTE_FEATURES.length;
export const TEMPO_MIN_BPM = 50;
export const TEMPO_MAX_BPM = 200;

/** Song i's taste-space coordinate on one feature, in [0, 1]. */
export function tasteValue(catalog: Catalog, feature: TasteFeature, i: number): number {
  return toTasteScale(feature, catalog.audio[feature][i]);
}

function toTasteScale(feature: TasteFeature, raw: number): number {
  const v = feature === 'tempo' ? (raw - TEMPO_MIN_BPM) / (TEMPO_MAX_BPM - TEMPO_MIN_BPM) : raw;
  // A missing value sits in the middle rather than at an extreme that would skew distances.
  return v < 0 ? 0 : v > 1 ? 1 : Number.isNaN(v) ? 0.5 : v;
}

/** songs × TASTE_DIMENSIONS, row-major. */
export function tasteMatrix(catalog: Catalog): Float32Array {
  const d = TASTE_DIMENSIONS;
  const out = new Float32Array(catalog.size * d);
  for (let f = 0; f < d; f++) {
    const feature = TASTE_FEATURES[f];
    const column = catalog.audio[feature];
    for (let i = 0; i < catalog.size; i++) out[i * d + f] = toTasteScale(feature, column[i]);
  }
  return out;
}

/** Euclidean distance between song i's taste coordinates and a centre given per feature. */
export function tasteDistance(catalog: Catalog, i: number, centre: Readonly<Record<TasteFeature, number>>): number {
  let s = 0;
  for (const f of TASTE_FEATURES) {
    const diff = tasteValue(catalog, f, i) - centre[f];
    s += diff * diff;
  }
  return Math.sqrt(s);
}
