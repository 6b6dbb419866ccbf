import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { TASTE_FEATURES, tasteDistance, tasteMatrix, tasteValue } from './taste-space';

describe('taste space', () => {
  const catalog = Catalog.fromSongs([
    songFixture('a', {
      features: { danceability: 0.2, energy: 0.8, valence: 0.4, acousticness: 0.1, instrumentalness: 0, tempo: 125 },
    }),
    songFixture('b', { features: { tempo: 20 } }),
    songFixture('c', { features: { tempo: 260, energy: Number.NaN } }),
  ]);

  it('maps tempo linearly from 50–200 BPM onto [0, 1], clamping outside, and keeps the 0–1 features', () => {
    expect(tasteValue(catalog, 'tempo', 0)).toBeCloseTo(0.5, 6); // (125 − 50) / 150
    expect(tasteValue(catalog, 'tempo', 1)).toBe(0);
    expect(tasteValue(catalog, 'tempo', 2)).toBe(1);
    expect(tasteValue(catalog, 'energy', 0)).toBeCloseTo(0.8, 6);
    expect(tasteValue(catalog, 'energy', 2)).toBe(0.5); // missing value → the middle
  });

  it('lays the songs out row-major in TASTE_FEATURES order', () => {
    const m = tasteMatrix(catalog);
    expect(m.length).toBe(3 * TASTE_FEATURES.length);
    expect(Array.from(m.subarray(0, 6), (v) => Number(v.toFixed(6)))).toEqual([0.2, 0.8, 0.4, 0.1, 0, 0.5]);
  });

  it('measures Euclidean distance to a centre', () => {
    const centre = {
      danceability: 0.2,
      energy: 0.8,
      valence: 0.4,
      acousticness: 0.1,
      instrumentalness: 0.3,
      tempo: 0.9,
    };
    expect(tasteDistance(catalog, 0, centre)).toBeCloseTo(0.5, 6); // √(0.3² + 0.4²)
  });
});
