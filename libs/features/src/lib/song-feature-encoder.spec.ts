import { AUDIO_FEATURES, Catalog } from '@encore/catalog';
import { songFixture, tinyCatalog } from '@encore/catalog/testing';
import { SongFeatureEncoder } from './song-feature-encoder';

function row(data: Float32Array, dim: number, r: number): Float32Array {
  return data.subarray(r * dim, (r + 1) * dim);
}

function dotRows(data: Float32Array, dim: number, a: number, b: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += data[a * dim + j] * data[b * dim + j];
  return s;
}

describe('SongFeatureEncoder', () => {
  const catalog = tinyCatalog(); // r1 r2 r3 a1 a2 a3; genres rock, metal, acoustic, folk

  it('lays out audio | sorted genres | popularity buckets', () => {
    const enc = SongFeatureEncoder.fit(catalog);
    expect(enc.groups.map((g) => [g.name, g.offset, g.size])).toEqual([
      ['audio', 0, AUDIO_FEATURES.length],
      ['genre', 12, 4],
      ['popularity', 16, 10],
    ]);
    expect(enc.dim).toBe(26);
    expect(enc.genres.categories).toEqual(['acoustic', 'folk', 'metal', 'rock']);
  });

  it('makes each row unit length', () => {
    const enc = SongFeatureEncoder.fit(catalog);
    const x = enc.encode(catalog);
    for (let r = 0; r < catalog.size; r++) expect(dotRows(x, enc.dim, r, r)).toBeCloseTo(1, 6);
  });

  it('gives the weighted average of per-group cosines (hand-computed, genre + popularity only)', () => {
    // r1: rock, popularity 80 (bucket 8); r2: rock, 60 (bucket 6); r3: rock+metal, 40 (bucket 4).
    // cos_genre(r1, r3) = 1/√2, cos_pop = 0, weights 1 and 1 → (1/√2) / √(2·2) = 0.353553.
    const enc = SongFeatureEncoder.fit(catalog, { weights: { audio: 0, genre: 1, popularity: 1 } });
    expect(enc.dim).toBe(14);
    const x = enc.encode(catalog);
    expect(dotRows(x, enc.dim, 0, 2)).toBeCloseTo(Math.SQRT1_2 / 2, 6);
    expect(dotRows(x, enc.dim, 0, 1)).toBeCloseTo(0.5, 6);
    expect(dotRows(x, enc.dim, 0, 3)).toBe(0);
    // r3's genre block: both ones scaled to unit length, then by 1/√2 for the row.
    expect(Array.from(row(x, enc.dim, 2).subarray(0, 4))).toEqual([0, 0, 0.5, 0.5].map(Math.fround));
    expect(row(x, enc.dim, 0)[4 + 8]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('weights a raw group by √weight when normalisation is off', () => {
    const enc = SongFeatureEncoder.fit(catalog, {
      weights: { audio: 4, genre: 0, popularity: 0 },
      normalizeGroups: false,
      normalizeRows: false,
    });
    const x = enc.encode(catalog);
    const energy = AUDIO_FEATURES.indexOf('energy');
    expect(x[3 * enc.dim + energy]).toBeCloseTo(2 * enc.scaler.transformValue(energy, catalog.audio.energy[3]), 5);
  });

  it('is deterministic across fits, catalog vocabulary order and a JSON round trip', () => {
    const enc = SongFeatureEncoder.fit(catalog);
    const x = enc.encode(catalog);
    expect(Array.from(SongFeatureEncoder.fit(catalog).encode(catalog))).toEqual(Array.from(x));
    const back = SongFeatureEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(Array.from(back.encode(catalog))).toEqual(Array.from(x));
    // A new catalog whose genre vocabulary is in a different order encodes a2 the same way.
    const other = Catalog.fromSongs([songFixture('x', { genres: ['folk', 'rock'] }), catalog.song(4)]);
    expect(Array.from(row(enc.encode(other), enc.dim, 1))).toEqual(Array.from(row(x, enc.dim, 4)));
  });

  it('adds an optional release-year group in decades, leaving missing years empty', () => {
    const year = Float32Array.from([1975, 1988, 1999, 2003, NaN, 2019]);
    const enc = SongFeatureEncoder.fit(catalog, { weights: { audio: 0, genre: 0, popularity: 0, year: 1 } }, { year });
    expect(enc.groups.map((g) => [g.name, g.size])).toEqual([['year', 5]]);
    const x = enc.encode(catalog, { year });
    expect(Array.from(x.subarray(0, 5))).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(row(x, enc.dim, 5))).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(row(x, enc.dim, 4))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(enc.encode(catalog)).every((v) => v === 0)).toBe(true);
  });

  it('rejects a short output buffer and a misaligned extra column', () => {
    const enc = SongFeatureEncoder.fit(catalog);
    expect(() => enc.encodeInto(catalog, new Float32Array(10))).toThrow('need 6 songs × 26');
    expect(() => enc.encode(catalog, { year: [2000] })).toThrow('"year" has 1 entries for 6 songs');
    expect(() => SongFeatureEncoder.fit(catalog, { weights: { genre: -1 } })).toThrow('"genre" must be ≥ 0');
  });
});
