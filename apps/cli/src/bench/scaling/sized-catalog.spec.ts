import { AUDIO_FEATURES, type Catalog } from '@encore/catalog';
import { syntheticCatalog } from '@encore/simulator/testing';
import { sizedCatalog } from './sized-catalog';

const source = syntheticCatalog({ songs: 300, genres: 6, seed: 4 });

function range(c: Catalog, f: (typeof AUDIO_FEATURES)[number]): [number, number] {
  return [Math.min(...c.audio[f]), Math.max(...c.audio[f])];
}

describe('sizedCatalog', () => {
  it('samples distinct source songs, unchanged, up to the source size', () => {
    const c = sizedCatalog(source, 120, 1);
    expect(c.size).toBe(120);
    expect(new Set(c.ids).size).toBe(120);
    for (let j = 0; j < c.size; j++) {
      const r = source.indexOf(c.ids[j]);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(c.song(j)).toEqual(source.song(r));
    }
  });

  it('is the whole source, reordered, at exactly its size', () => {
    const c = sizedCatalog(source, source.size, 1);
    expect([...c.ids].sort()).toEqual([...source.ids].sort());
  });

  it('grows past the source with perturbed copies under new ids', () => {
    const size = 1_000;
    const c = sizedCatalog(source, size, 2);
    expect(c.size).toBe(size);
    expect(c.ids[0]).toBe('syn0000001');
    expect(new Set(c.ids).size).toBe(size);
    expect(c.ids.some((id) => source.indexOf(id) >= 0)).toBe(false);
    // Categories and metadata come from one source row; the name says which rows are possible.
    let changedEnergy = 0;
    for (let j = 0; j < size; j++) {
      const song = c.song(j);
      const twins = [];
      for (let r = 0; r < source.size; r++) if (source.names[r] === song.name) twins.push(source.song(r));
      const twin = twins.find(
        (t) =>
          t.album === song.album &&
          t.explicit === song.explicit &&
          JSON.stringify(t.artists) === JSON.stringify(song.artists) &&
          JSON.stringify(t.genres) === JSON.stringify(song.genres) &&
          t.features.key === song.features.key &&
          t.features.mode === song.features.mode &&
          t.features.timeSignature === song.features.timeSignature,
      );
      expect(twin).toBeDefined();
      if (twin && twin.features.energy !== song.features.energy) changedEnergy++;
      expect(song.popularity).toBeGreaterThanOrEqual(0);
      expect(song.popularity).toBeLessThanOrEqual(100);
    }
    // Continuous features are perturbed (almost every copy differs) but stay inside the source's range.
    expect(changedEnergy).toBeGreaterThan(size * 0.9);
    for (const f of ['energy', 'tempo', 'valence'] as const) {
      const [lo, hi] = range(source, f);
      const [min, max] = range(c, f);
      expect(min).toBeGreaterThanOrEqual(lo);
      expect(max).toBeLessThanOrEqual(hi);
    }
  });

  it('is reproducible from the seed', () => {
    const a = sizedCatalog(source, 500, 9);
    const b = sizedCatalog(source, 500, 9);
    const c = sizedCatalog(source, 500, 10);
    expect(a.names).toEqual(b.names);
    expect([...a.audio.energy]).toEqual([...b.audio.energy]);
    expect([...c.audio.energy]).not.toEqual([...a.audio.energy]);
    expect(sizedCatalog(source, 50, 9).ids).toEqual(sizedCatalog(source, 50, 9).ids);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => sizedCatalog(source, 0, 1)).toThrow('positive integer');
    expect(() => sizedCatalog(source, 2.5, 1)).toThrow('positive integer');
  });
});
