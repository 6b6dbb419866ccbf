import { tinyCatalog } from '@encore/catalog/testing';
import { buildInteractionMatrix, type InteractionEvent } from '@encore/features';
import { cloneModelState, describeRecommenderContract } from '@encore/features/testing';
import { PopularityRanker, catalogPopularityFor, itemGenresFromCatalog } from './popularity-ranker';

// Items are tinyCatalog's ids: r1 r2 r3 (rock; r3 also metal) a1 a2 a3 (acoustic; a3 also folk).
// r1: 3 listeners, a1: 2 (one of them with 5 plays), r2: 1, a2: 1, r3 and a3: none.
const plays: [string, string, number?][] = [
  ['ann', 'r1'],
  ['bob', 'r1'],
  ['cat', 'r1'],
  ['ann', 'a1', 5],
  ['dan', 'a1'],
  ['bob', 'r2'],
  ['dan', 'a2'],
];
const ids = ['r1', 'r2', 'r3', 'a1', 'a2', 'a3'];
const data = () =>
  buildInteractionMatrix(
    plays.map(([userId, itemId, weight]): InteractionEvent => ({ userId, itemId, weight })),
    { items: ids },
  );

describe('PopularityRanker', () => {
  describeRecommenderContract('PopularityRanker', {
    create: () => new PopularityRanker(),
    fromArtifact: (s) => PopularityRanker.fromArtifact(s),
  });

  it('counts listeners per item, scaled by the most popular', () => {
    const model = new PopularityRanker();
    model.fit(data());
    expect(Array.from(model.scores)).toEqual([1, 1 / 3, 0, 2 / 3, 1 / 3, 0].map(Math.fround));
  });

  it('sums values with measure "weight"', () => {
    const model = new PopularityRanker({ measure: 'weight' });
    model.fit(data());
    // a1 = 5 + 1 = 6 beats r1 = 3.
    expect(Array.from(model.scores)).toEqual([3 / 6, 1 / 6, 0, 1, 1 / 6, 0].map(Math.fround));
  });

  it('gives an unknown user the global top and a known user the top they have not seen', () => {
    const model = new PopularityRanker();
    const d = data();
    model.fit(d);
    expect(model.recommend(-1, 3).map((s) => d.itemIds[s.index])).toEqual(['r1', 'a1', 'r2']);
    expect(model.recommend(99, 1)).toEqual([{ index: 0, score: 1, reason: { source: 'popularity' } }]);
    expect(model.recommend(d.userIndex('ann'), 2).map((s) => d.itemIds[s.index])).toEqual(['r2', 'a2']);
    expect(model.recommend(-1, 2, new Set([0])).map((s) => d.itemIds[s.index])).toEqual(['a1', 'r2']);
  });

  it('blends in catalog popularity so unplayed songs are not tied at zero', () => {
    const catalog = tinyCatalog(); // popularity r1 80, r2 60, r3 40, a1 70, a2 30, a3 20
    const model = new PopularityRanker({ catalogBlend: 0.5, catalogPopularity: catalogPopularityFor(catalog, ids) });
    model.fit(data());
    // r3: 0.5·0 + 0.5·40/80 = 0.25; a3: 0.5·20/80 = 0.125; r2: 0.5/3 + 0.5·60/80 = 0.541667.
    expect(model.scores[2]).toBeCloseTo(0.25, 6);
    expect(model.scores[5]).toBeCloseTo(0.125, 6);
    expect(model.scores[1]).toBeCloseTo(0.5 / 3 + 0.375, 6);
  });

  it('ranks within a genre with a genre reason, skipping what the user has seen', () => {
    const catalog = tinyCatalog();
    const d = data();
    const model = new PopularityRanker({ itemGenres: itemGenresFromCatalog(catalog, ids) });
    model.fit(d);
    expect(model.recommendInGenre('rock', 5)).toEqual([
      { index: 0, score: 1, reason: { source: 'popularity', genre: 'rock' } },
      { index: 1, score: Math.fround(1 / 3), reason: { source: 'popularity', genre: 'rock' } },
      { index: 2, score: 0, reason: { source: 'popularity', genre: 'rock' } },
    ]);
    expect(model.recommendInGenre('rock', 5, d.userIndex('bob')).map((s) => s.index)).toEqual([2]);
    expect(model.recommendInGenre('folk', 5).map((s) => s.index)).toEqual([5]);
    expect(() => model.recommendInGenre('jazz', 5)).toThrow('unknown genre "jazz"');
    const restored = PopularityRanker.fromArtifact(cloneModelState(model.toArtifact()));
    expect(restored.recommendInGenre('rock', 2)).toEqual(model.recommendInGenre('rock', 2));
    expect(restored.genreNames).toEqual(catalog.genreNames);
  });

  it('validates its inputs', () => {
    expect(() => new PopularityRanker({ catalogBlend: 2 })).toThrow('catalogBlend must be within 0…1');
    expect(() => new PopularityRanker({ catalogBlend: 0.5 }).fit(data())).toThrow('needs catalogPopularity');
    expect(() =>
      new PopularityRanker({ catalogBlend: 0.5, catalogPopularity: new Float32Array(2) }).fit(data()),
    ).toThrow('has 2 entries for 6 items');
    const model = new PopularityRanker();
    model.fit(data());
    expect(() => model.recommendInGenre('rock', 3)).toThrow('needs itemGenres');
    expect(() => PopularityRanker.fromArtifact({ kind: 'ease', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected a "popularity" artifact',
    );
  });
});
