import { DATASET_PRESETS, type Interaction } from '@encore/datasets';
import { HybridRanker } from '@encore/hybrid';
import { BEST_KNOWN, bestKnownConfig, createBestModel, transformValues } from './best-known';
import { isModelName } from './model-factory';

describe('BEST_KNOWN', () => {
  it('has a buildable configuration for every dataset preset', () => {
    expect(Object.keys(BEST_KNOWN).sort()).toEqual(DATASET_PRESETS.map((p) => p.name).sort());
    for (const [dataset, config] of Object.entries(BEST_KNOWN)) {
      expect(isModelName(config.model)).toBe(true);
      expect(config.selection.length).toBeGreaterThan(0);
      const model = createBestModel(dataset);
      // Blends are HybridRankers.
      expect(model.kind).toBe(['blend', 'best-movielens'].includes(config.model) ? 'hybrid' : config.model);
    }
  });

  it('records MovieLens figures that are consistent with each other', () => {
    const m = BEST_KNOWN['movielens-100k'].measured;
    if (!m) throw new Error('missing MovieLens figures');
    expect(m.k).toBe(10);
    // MAP (divided by |relevant|) ≤ recall ≤ 1 and precision ≤ 1 for every user, so for the means too.
    expect(m.map).toBeLessThanOrEqual(m.recall);
    for (const v of [m.precision, m.recall, m.ndcg, m.map]) expect(v > 0 && v < 1).toBe(true);
    expect(createBestModel('movielens-100k')).toBeInstanceOf(HybridRanker);
  });

  it('is frozen, so no caller changes the defaults for everyone', () => {
    expect(Object.isFrozen(BEST_KNOWN)).toBe(true);
    expect(Object.isFrozen(BEST_KNOWN['movielens-100k'])).toBe(true);
  });

  it('names the known datasets when asked for another', () => {
    expect(() => bestKnownConfig('netflix')).toThrow(
      'no best-known configuration for "netflix"; expected one of movielens-100k, lastfm-2k, interactions-csv',
    );
    expect(() => createBestModel('netflix')).toThrow('no best-known configuration for "netflix"');
  });
});

describe('transformValues', () => {
  const rows: Interaction[] = [
    { userId: 'u', itemId: 'a', weight: 4, timestamp: 1 },
    { userId: 'u', itemId: 'b', weight: Math.E - 1 },
    { userId: 'v', itemId: 'a' },
  ];

  it('keeps, binarises or log-damps the weights without touching the input', () => {
    expect(transformValues(rows, 'weight')).toEqual(rows);
    expect(transformValues(rows, 'weight')).not.toBe(rows);
    expect(transformValues(rows, 'binary').map((r) => r.weight)).toEqual([1, 1, 1]);
    const logged = transformValues(rows, 'log1p');
    expect(logged[0]).toEqual({ userId: 'u', itemId: 'a', weight: Math.log(5), timestamp: 1 });
    expect(logged[1].weight).toBeCloseTo(1, 12);
    // An absent weight counts as 1, as everywhere in the engine.
    expect(logged[2].weight).toBeCloseTo(Math.LN2, 12);
    expect(rows[0].weight).toBe(4);
  });

  it('refuses log1p of a negative weight, naming the row', () => {
    expect(() => transformValues([{ userId: 'u', itemId: 'x', weight: -2 }], 'log1p')).toThrow(
      'log1p needs non-negative weights; user u, item x has -2',
    );
  });
});
