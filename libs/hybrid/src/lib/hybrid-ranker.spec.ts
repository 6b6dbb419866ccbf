import { tinyCatalog } from '@encore/catalog/testing';
import { ImplicitAls, ItemKnn } from '@encore/collaborative';
import { ContentRecommender, songFeatures } from '@encore/content';
import { contractItemFeatures } from '@encore/content/testing';
import {
  buildInteractionMatrix,
  type FitReport,
  type InteractionEvent,
  type InteractionMatrix,
  type Reason,
  type Recommender,
  type Scored,
} from '@encore/features';
import { cloneModelState, contractInteractions, describeRecommenderContract } from '@encore/features/testing';
import { decodeArtifact, encodeArtifact, type ModelState } from '@encore/model-artifact';
import { HybridRanker, PopularityRanker, itemGenresFromCatalog, type HybridComponent } from '../index';

const contractComponents = (): HybridComponent[] => [
  { name: 'als', model: new ImplicitAls({ factors: 4, iterations: 5, seed: 3 }), weight: 1 },
  { name: 'knn', model: new ItemKnn({ shrinkage: 0 }), weight: 0.5 },
  { name: 'content', model: new ContentRecommender(contractItemFeatures()), weight: 0.3 },
  { name: 'pop', model: new PopularityRanker(), weight: 0.1 },
];

describeRecommenderContract('HybridRanker', {
  create: () => new HybridRanker(contractComponents()),
  fromArtifact: (s) => HybridRanker.fromArtifact(s),
});

describeRecommenderContract('HybridRanker (z-score, history rule off)', {
  create: () => new HybridRanker(contractComponents(), { normalisation: 'zscore', fullHistory: 0 }),
  fromArtifact: (s) => HybridRanker.fromArtifact(s),
});

/** A component with fixed scores for every user and a public explain, so blends can be worked out by hand. */
class FixedScores implements Recommender {
  data: InteractionMatrix | null = null;
  constructor(
    readonly kind: string,
    private readonly scores: number[],
  ) {}
  fit(data: InteractionMatrix): FitReport {
    this.data = data;
    return { kind: this.kind, users: data.users, items: data.items, nnz: data.nnz, elapsedMs: 0 };
  }
  recommend(): Scored[] {
    throw new Error('the hybrid ranks from scoreAll');
  }
  scoreAll(_user: number, out: Float32Array): Float32Array {
    out.set(this.scores);
    return out;
  }
  scoreInteractions(_items: ArrayLike<number>, _values: ArrayLike<number>, out: Float32Array): Float32Array {
    return this.scoreAll(0, out);
  }
  explain(_user: number, item: number): Reason {
    return { source: this.kind, seedItem: 5, genre: `item ${item}` };
  }
  toArtifact(): ModelState {
    return { kind: this.kind, params: { scores: this.scores }, blobs: {}, meta: {} };
  }
}

// Six items; u0 has played item 5 once (one positive interaction); u1 played item 4 then
// skipped it twice (a zero entry: seen, no preference).
const handData = () =>
  buildInteractionMatrix(
    [
      { userId: 'u0', itemId: 'i5' },
      { userId: 'u1', itemId: 'i4' },
      { userId: 'u1', itemId: 'i4', event: 'skip' },
      { userId: 'u1', itemId: 'i4', event: 'skip' },
    ],
    { items: ['i0', 'i1', 'i2', 'i3', 'i4', 'i5'], users: ['u0', 'u1'] },
  );

// A's top 3 unseen for u0: i0 0.9, i1 0.5, i3 0.3.  B's: i2 20, i4 15, i1 10.
const handComponents = (weights = [1, 0.5]): HybridComponent[] => [
  { name: 'a', model: new FixedScores('a', [0.9, 0.5, 0.1, 0.3, 0, 9]), weight: weights[0] },
  { name: 'b', model: new FixedScores('b', [0, 10, 20, 5, 15, 9]), weight: weights[1], role: 'content' },
];

function handRanker(options: ConstructorParameters<typeof HybridRanker>[1] = {}): HybridRanker {
  const ranker = new HybridRanker(handComponents(), { candidates: 3, fullHistory: 0, ...options });
  ranker.fit(handData());
  return ranker;
}

describe('HybridRanker blending (hand-computed)', () => {
  it('min-max scales each top-M list to [0, 1] and sums with the weights', () => {
    // A: i0 1, i1 (0.5−0.3)/0.6 = 1/3, i3 0.  B: i2 1, i4 0.5, i1 0.  Weighted (1, 0.5):
    // i0 1, i2 0.5, i1 1/3, i4 0.25, i3 0 (the floor; it ties with unlisted items, ranked by index).
    const recs = handRanker().recommend(0, 5);
    expect(recs.map((r) => r.index)).toEqual([0, 2, 1, 4, 3]);
    expect(recs.map((r) => r.score)).toEqual([1, 0.5, 1 / 3, 0.25, 0].map((x) => expect.closeTo(x, 6)));
    // Reasons come from the component that lifted the item most, with its seed.
    expect(recs.map((r) => r.reason?.source)).toEqual(['a', 'b', 'a', 'b', 'a']);
    expect(recs[0].reason).toEqual({ source: 'a', seedItem: 5, genre: 'item 0' });
  });

  it('z-scores each list (mean and std over the M entries); unlisted items sit at the M-th value', () => {
    const z = (x: number, xs: number[]) => {
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
      return (x - mean) / std;
    };
    const a = [0.9, 0.5, 0.3];
    const b = [20, 15, 10];
    const expected = [
      z(0.9, a) + 0.5 * z(10, b), // i0: B floor
      z(0.5, a) + 0.5 * z(10, b), // i1
      z(0.3, a) + 0.5 * z(20, b), // i2: A floor
      z(0.3, a) + 0.5 * z(10, b), // i3: both floors
      z(0.3, a) + 0.5 * z(15, b), // i4
    ];
    const ranker = handRanker({ normalisation: 'zscore' });
    const out = ranker.scoreAll(0, new Float32Array(6));
    for (let i = 0; i < 5; i++) expect(out[i]).toBeCloseTo(expected[i], 5);
    const order = [0, 1, 2, 3, 4].sort((x, y) => expected[y] - expected[x] || x - y);
    expect(ranker.recommend(0, 5).map((r) => r.index)).toEqual(order);
  });

  it('fuses reciprocal ranks with rrf: Σ w / (rrfK + rank)', () => {
    // i1: 1/62 + 0.5/63, i0: 1/61, i3: 1/63, i2: 0.5/61, i4: 0.5/62.
    const recs = handRanker({ normalisation: 'rrf' }).recommend(0, 5);
    expect(recs.map((r) => r.index)).toEqual([1, 0, 3, 2, 4]);
    expect(recs[0].score).toBeCloseTo(1 / 62 + 0.5 / 63, 9);
  });

  it('shifts weight from collaborative to content for short histories (fullHistory rule)', () => {
    // u0 has 1 positive interaction: A (collaborative) weighs 1·1/5 = 0.2, B (content) keeps 0.5.
    // i2 0.5, i4 0.25, i0 0.2, i1 0.2/3, i3 0.
    const ranker = new HybridRanker(handComponents(), { candidates: 3 });
    ranker.fit(handData());
    expect(Array.from(ranker.effectiveWeights(1))).toEqual([0.2, 0.5, 0]);
    expect(Array.from(ranker.effectiveWeights(9))).toEqual([1, 0.5, 0]);
    expect(ranker.recommend(0, 5).map((r) => r.index)).toEqual([2, 4, 0, 1, 3]);
  });

  it('gives a user without positive interactions the popularity ranking', () => {
    const ranker = handRanker();
    // u1's only entry is zero-valued; the added popularity fallback counts u0's play of i5 (seen by u0, not u1).
    const recs = ranker.recommend(1, 2);
    expect(recs).toEqual(ranker.popularity.recommend(1, 2));
    expect(recs[0]).toEqual({ index: 5, score: 1, reason: { source: 'popularity' } });
    expect(Array.from(ranker.scoreAll(1, new Float32Array(6)))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('honours exclusions without changing the normalisation of the remaining items', () => {
    const ranker = handRanker();
    const recs = ranker.recommend(0, 3, new Set([0, 2]));
    expect(recs.map((r) => [r.index, r.score])).toEqual([
      [1, expect.closeTo(1 / 3, 6)],
      [4, 0.25],
      [3, 0],
    ]);
  });

  it('fills beyond the candidate lists with floor-score items by index, as scoreAll + top-k would', () => {
    const ranker = new HybridRanker(handComponents([1, 0]), { candidates: 2, fullHistory: 0 });
    ranker.fit(handData());
    // A's list is i0 (1), i1 (0): only i0 beats the floor; then i1…i4 in index order, never the seen i5.
    expect(ranker.recommend(0, 6).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(ranker.scoreAll(0, new Float32Array(6)))).toEqual([1, 0, 0, 0, 0, 0]);
  });

  it('validates its configuration', () => {
    const c = handComponents();
    expect(() => new HybridRanker([])).toThrow('needs at least one component');
    expect(() => new HybridRanker([c[0], { ...c[1], name: 'a' }])).toThrow('"a" is used twice');
    expect(() => new HybridRanker([{ ...c[0], name: 'a.b' }])).toThrow('component name "a.b" must be');
    expect(() => new HybridRanker([{ ...c[0], weight: -1 }])).toThrow('weight of "a" must be finite and ≥ 0');
    expect(() => new HybridRanker([{ ...c[0], role: 'popularity' }])).toThrow('not a PopularityRanker');
    expect(() => new HybridRanker(c, { normalisation: 'max' as 'minmax' })).toThrow('unknown normalisation "max"');
    expect(() => new HybridRanker(c, { candidates: 0 })).toThrow('candidates must be an integer ≥ 1');
    expect(() => handRanker().recommend(2, 1)).toThrow('user index 2 is outside the 2 fitted users');
  });
});

describe('HybridRanker with real components', () => {
  const catalog = tinyCatalog(); // r1 r2 r3 rock, a1 a2 a3 acoustic
  // Nobody has played r3 or a3: only the content component knows anything about them.
  const events: InteractionEvent[] = [
    { userId: 'ann', itemId: 'r1', weight: 3 },
    { userId: 'ann', itemId: 'r2', weight: 1 },
    { userId: 'bob', itemId: 'r1', weight: 2 },
    { userId: 'bob', itemId: 'a1', weight: 1 },
    { userId: 'cat', itemId: 'a1', weight: 2 },
    { userId: 'cat', itemId: 'a2', weight: 2 },
    { userId: 'dan', itemId: 'r2', weight: 1 },
  ];
  const data = () => buildInteractionMatrix(events, { items: catalog.ids });
  const ranker = () => {
    const r = new HybridRanker(
      [
        { name: 'knn', model: new ItemKnn({ shrinkage: 0 }), weight: 1 },
        { name: 'content', model: new ContentRecommender(songFeatures(catalog)), weight: 0.5 },
        {
          name: 'pop',
          model: new PopularityRanker({ itemGenres: itemGenresFromCatalog(catalog, catalog.ids) }),
          weight: 0.1,
        },
      ],
      { fullHistory: 0 },
    );
    r.fit(data());
    return r;
  };

  it('reaches a song nobody has played through content, with the liked song as the seed', () => {
    const r = ranker();
    const ann = r.recommend(r.interactions.userIndex('ann'), 4);
    const r3 = ann.findIndex((s) => s.index === 2);
    expect(ann[r3].reason).toEqual({ source: 'content', seedItem: 0 });
    // Ann plays rock only: the unplayed rock song beats the acoustic songs no co-listener links her to.
    expect(r3).toBeLessThan(ann.findIndex((s) => s.index === 4));
    expect(r3).toBeLessThan(ann.findIndex((s) => s.index === 5));
    // a1 is there through item-kNN (Bob plays r1 and a1), explained by r1.
    expect(ann.find((s) => s.index === 3)?.reason).toEqual({ source: 'item-knn', seedItem: 0 });
  });

  it('folds in a guest from liked songs and leaves those songs out', () => {
    const r = ranker();
    const recs = r.recommendForInteractions([3], [1], 3); // likes a1
    expect(recs.map((s) => s.index)).not.toContain(3);
    // a2 (co-listened and acoustic), r1 (co-listened) and a3 (no plays: only content knows it, from a1).
    expect(recs.map((s) => s.index).sort()).toEqual([0, 4, 5]);
    expect(recs.find((s) => s.index === 5)?.reason).toEqual({ source: 'content', seedItem: 3 });
    const out = r.scoreInteractions([3], [1], new Float32Array(6));
    for (const s of recs) expect(out[s.index]).toBeCloseTo(s.score, 5);
    expect(() => r.recommendForInteractions([9], [1], 3)).toThrow('item index 9 is outside the 6 items');
  });

  it('serves a guest without history from popularity, per genre on request', () => {
    const r = ranker();
    expect(r.recommendForInteractions([], [], 2).map((s) => s.reason)).toEqual([
      { source: 'popularity' },
      { source: 'popularity' },
    ]);
    const rock = r.coldStart(3, { genres: ['rock'] });
    expect(rock.map((s) => catalog.ids[s.index])).toEqual(['r1', 'r2', 'r3']);
    expect(rock[0].reason).toEqual({ source: 'popularity', genre: 'rock' });
    // r1, r2 and a1 have two listeners each: ties go to the lower index.
    expect(r.coldStart(3).map((s) => catalog.ids[s.index])).toEqual(['r1', 'r2', 'a1']);
  });

  it('finds similar items through the content component', () => {
    const r = ranker();
    expect(
      r
        .similarItems(0, 2)
        .map((s) => catalog.ids[s.index])
        .sort(),
    ).toEqual(['r2', 'r3']);
  });

  it('nests the components in one artifact, storing the shared interaction blobs once', () => {
    const r = ranker();
    const state = r.toArtifact();
    expect(state.blobs['knn.interactions.rowPtr']).toBeUndefined();
    expect(state.meta['blobAliases']).toMatchObject({ 'knn.interactions.rowPtr': 'interactions.rowPtr' });
    expect(state.blobs['content.features.dense']).toBeInstanceOf(Float32Array);
    expect(JSON.stringify(state.meta['components'])).toContain('"$itemIds"');
    // Through the real encoder: blob names must be valid file names.
    const { state: decoded } = decodeArtifact(encodeArtifact(state, { createdAt: '2026-01-01T00:00:00Z' }).files);
    const restored = HybridRanker.fromArtifact(decoded);
    expect(restored.weights).toEqual(r.weights);
    for (let u = 0; u < 4; u++) expect(restored.recommend(u, 4)).toEqual(r.recommend(u, 4));
    expect(restored.recommendForInteractions([3], [1], 3)).toEqual(r.recommendForInteractions([3], [1], 3));
  });

  it('names a component kind it cannot restore', () => {
    const state = cloneModelState(ranker().toArtifact());
    expect(() => HybridRanker.fromArtifact(state, { 'item-knn': (s) => ItemKnn.fromArtifact(s) })).toThrow(
      'no decoder for component "content" of kind "content"',
    );
    expect(() => HybridRanker.fromArtifact({ ...state, kind: 'als' })).toThrow('expected a "hybrid" artifact');
  });
});

describe('HybridRanker.tune', () => {
  it('searches weights on validation rows, fitting each component once and recording every trial', () => {
    const train = contractInteractions();
    // Held-out plays: u0–u3 like i0–i5 (block A), u4–u7 like i6–i11.
    const validation = [
      { userId: 'u0', itemId: 'i3' },
      { userId: 'u2', itemId: 'i4' },
      { userId: 'u4', itemId: 'i8' },
      { userId: 'u6', itemId: 'i10' },
    ].filter((r) => !train.seen(train.userIndex(r.userId)).includes(train.itemIndex(r.itemId)));
    const components = contractComponents();
    let fits = 0;
    for (const c of components) {
      const fit = c.model.fit.bind(c.model);
      c.model.fit = (d) => (fits++, fit(d));
    }
    const result = HybridRanker.tune(components, train, validation, {
      metric: 'ndcg',
      k: 3,
      grid: { knn: [0, 1], content: [0, 0.5] },
      normalisations: ['minmax', 'rrf'],
    });
    expect(fits).toBe(components.length);
    expect(result.search.trials).toHaveLength(8);
    expect(result.search.trials.map((t) => t.params['normalisation'])).toEqual(Array(4).fill(['minmax', 'rrf']).flat());
    const best = Math.max(...result.search.trials.map((t) => t.metrics.ndcg));
    expect(result.search.best.metrics.ndcg).toBe(best);
    expect(result.weights['knn']).toBe(result.search.best.params['knn']);
    expect(result.normalisation).toBe(result.search.best.params['normalisation']);
    expect(result.ranker.recommend(0, 2)[0].reason?.source).toBeDefined();
    expect(() => HybridRanker.tune(components, train, validation, { grid: { nope: [1] } })).toThrow(
      'unknown component "nope"',
    );
    expect(() => HybridRanker.tune(components, train, validation, {})).toThrow('exactly one of grid or random');
  });

  it('samples weights from ranges with random search', () => {
    const train = contractInteractions();
    const validation = [{ userId: 'u0', itemId: 'i3' }];
    const result = HybridRanker.tune(contractComponents(), train, validation, {
      random: { trials: 5, seed: 1, ranges: { knn: { min: 0, max: 2 }, content: { min: 0.1, max: 1, scale: 'log' } } },
    });
    expect(result.search.trials).toHaveLength(5);
    for (const t of result.search.trials) {
      expect(t.params['knn']).toBeGreaterThanOrEqual(0);
      expect(t.params['knn']).toBeLessThanOrEqual(2);
      expect(t.params['content']).toBeGreaterThanOrEqual(0.1);
      expect(t.params['normalisation']).toBe('minmax');
    }
    // Components outside the ranges keep their weights.
    expect(result.weights['als']).toBe(1);
  });
});
