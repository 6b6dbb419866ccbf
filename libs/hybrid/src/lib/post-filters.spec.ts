import { tinyCatalog } from '@encore/catalog/testing';
import { songFeatures } from '@encore/content';
import { buildInteractionMatrix, type Scored } from '@encore/features';
import { capPerGroup, filterByGroups, mmrRerank, postProcess, withoutDislikes, withoutItems } from '../index';

const list = (...indices: number[]): Scored[] => indices.map((index, p) => ({ index, score: 10 - p }));
const indices = (s: Scored[]) => s.map((x) => x.index);

// tinyCatalog: r1 r2 r3 (rock; r3 also metal), a1 a2 a3 (acoustic; a3 also folk); artists Amp Amp Bolt Calm Calm Dew.
const catalog = tinyCatalog();
const genres = { offsets: catalog.genreOffsets, ids: catalog.genreIds };
const artists = { offsets: catalog.artistOffsets, ids: catalog.artistIds };
const genre = (name: string) => catalog.genreIndex(name);

describe('post-filters', () => {
  it('keeps items with an included genre and drops those with an excluded one', () => {
    const all = list(0, 1, 2, 3, 4, 5);
    expect(indices(filterByGroups(all, genres, { include: [genre('rock')] }))).toEqual([0, 1, 2]);
    expect(indices(filterByGroups(all, genres, { include: [genre('rock')], exclude: [genre('metal')] }))).toEqual([
      0, 1,
    ]);
    expect(indices(filterByGroups(all, genres, { include: [genre('metal'), genre('folk')] }))).toEqual([2, 5]);
    expect(indices(filterByGroups(all, genres, { exclude: [genre('acoustic')] }))).toEqual([0, 1, 2]);
    expect(filterByGroups(all, genres, {})).toEqual(all);
    expect(() => filterByGroups(list(6), genres, { include: [0] })).toThrow('item 6 is outside the 6 items');
  });

  it('drops extra excluded ids and the permanent dislikes', () => {
    const data = buildInteractionMatrix(
      [
        { userId: 'u', itemId: 'r1' },
        { userId: 'u', itemId: 'a2', event: 'dislike' },
      ],
      { items: catalog.ids },
    );
    expect(indices(withoutItems(list(0, 1, 2), new Set([1])))).toEqual([0, 2]);
    expect(indices(withoutDislikes(list(1, 4, 5), data, 0))).toEqual([1, 5]);
    expect(indices(withoutDislikes(list(1, 4, 5), data, -1))).toEqual([1, 4, 5]);
  });

  it('caps items per artist in list order, counting an item against each of its artists', () => {
    expect(indices(capPerGroup(list(0, 1, 3, 4, 2, 5), artists, 1))).toEqual([0, 3, 2, 5]);
    expect(indices(capPerGroup(list(0, 1, 3, 4, 2, 5), artists, 2, 3))).toEqual([0, 1, 3]);
    const shared = { offsets: Int32Array.from([0, 2, 3, 4]), ids: Int32Array.from([0, 1, 1, 0]) }; // item 0 by artists 0 and 1
    expect(indices(capPerGroup(list(1, 0, 2), shared, 1))).toEqual([1, 2]);
    expect(() => capPerGroup(list(0), artists, 0)).toThrow('per-artist cap must be an integer ≥ 1');
  });

  it('MMR: λ = 1 keeps the relevance order, lower λ alternates between the clusters', () => {
    const features = songFeatures(catalog);
    const sim = (a: number, b: number) => features.cosine(a, b);
    const ranked = list(0, 1, 2, 3, 4, 5); // rock first by relevance
    expect(indices(mmrRerank(ranked, 6, 1, sim))).toEqual([0, 1, 2, 3, 4, 5]);
    const diverse = indices(mmrRerank(ranked, 4, 0.3, sim));
    expect(diverse[0]).toBe(0);
    // The second pick is acoustic: relevance loses to dissimilarity from r1.
    expect(diverse[1]).toBeGreaterThanOrEqual(3);
    expect(new Set(diverse).size).toBe(4);
    expect(mmrRerank(ranked, 0, 0.5, sim)).toEqual([]);
    expect(() => mmrRerank(ranked, 2, 1.5, sim)).toThrow('MMR lambda must be within 0…1');
  });

  it('MMR trades λ·relevance against (1 − λ)·max similarity exactly (hand-computed)', () => {
    // Relevance (min-max): i0 1, i1 0.5, i2 0. sim(0,1) = 0.9, sim(0,2) = 0, sim(1,2) = 0.
    const sims: Record<string, number> = { '0,1': 0.9, '0,2': 0, '1,2': 0 };
    const sim = (a: number, b: number) => sims[[a, b].sort().join(',')] ?? 1;
    const ranked: Scored[] = [
      { index: 0, score: 3 },
      { index: 1, score: 2 },
      { index: 2, score: 1 },
    ];
    // λ = 0.5, after i0: i1 0.25 − 0.45 = −0.2, i2 0 − 0 = 0 → i2 before i1.
    expect(indices(mmrRerank(ranked, 3, 0.5, sim))).toEqual([0, 2, 1]);
    // λ = 0.8: i1 0.4 − 0.18 = 0.22 > i2 0 → i1 stays second.
    expect(indices(mmrRerank(ranked, 3, 0.8, sim))).toEqual([0, 1, 2]);
  });

  it('postProcess applies dislikes, exclusions, genre filter, artist cap, then MMR, then k', () => {
    const data = buildInteractionMatrix([{ userId: 'u', itemId: 'r3', event: 'dislike' }], { items: catalog.ids });
    const out = postProcess(list(0, 1, 2, 3, 4, 5), {
      k: 3,
      genres,
      genreFilter: { exclude: [genre('folk')] },
      excludeItems: new Set([4]),
      dislikes: { data, user: 0 },
      artistCap: { artists, max: 1 },
    });
    // r1 (Amp) | r2 (Amp, capped) | r3 disliked | a1 (Calm) | a2 excluded | a3 folk.
    expect(indices(out)).toEqual([0, 3]);
    expect(() => postProcess(list(0), { k: 1, genreFilter: { include: [0] } })).toThrow(
      'needs the item → genres table',
    );
    const features = songFeatures(catalog);
    const mmr = postProcess(list(0, 1, 2, 3), {
      k: 2,
      mmr: { lambda: 0.2, similarity: (a, b) => features.cosine(a, b) },
    });
    expect(indices(mmr)).toEqual([0, 3]);
  });
});
