import { buildInteractionMatrix, ScoringRecommender, type FitReport, type InteractionMatrix } from '@encore/features';
import { PopularityRanker } from '@encore/hybrid';
import type { ModelState } from '@encore/model-artifact';
import { contractCatalog, contractInteractions } from '../testing';
import { DEFAULT_ENGINE_MODEL_OPTIONS, trainEngineModel, type EngineModelOptions } from './engine-model';
import {
  oneStandardErrorChoice,
  relevantByListener,
  searchEngineWeights,
  weightCandidates,
  type EngineWeightSearchOptions,
  type WeightSearchComponents,
} from './engine-weight-search';

describe('oneStandardErrorChoice', () => {
  // Candidates simplest first; four listeners each.
  const simple = [0.1, 0.2, 0.3, 0.4]; // mean 0.25
  const middle = [0.3, 0.1, 0.35, 0.4]; // mean 0.2875
  const best = [0.2, 0.2, 0.4, 0.4]; // mean 0.3

  it('keeps the simplest candidate within one standard error of the paired difference to the best', () => {
    // best − simple = (0.1, 0, 0.1, 0): gap 0.05, SE √(0.01/3/4) ≈ 0.0289 < 0.05, so not simple.
    // best − middle = (−0.1, 0.1, 0.05, 0): gap 0.0125, SE √(0.021875/3/4) ≈ 0.0427 ≥ 0.0125.
    const { index, seFromBest } = oneStandardErrorChoice([simple, middle, best]);
    expect(index).toBe(1);
    expect(seFromBest[0]).toBeCloseTo(Math.sqrt(0.01 / 12), 10);
    expect(seFromBest[1]).toBeCloseTo(Math.sqrt(0.021875 / 12), 10);
    expect(seFromBest[2]).toBe(0);
  });

  it('returns the best when every simpler candidate is clearly worse', () => {
    expect(oneStandardErrorChoice([simple, best]).index).toBe(1);
  });

  it('prefers the simpler of two candidates with equal means', () => {
    expect(oneStandardErrorChoice([best, [0.4, 0.4, 0.2, 0.2]]).index).toBe(0);
  });

  it('rejects candidates scored on different listeners', () => {
    expect(() => oneStandardErrorChoice([simple, [0.1]])).toThrow(/different listeners/);
  });
});

describe('weightCandidates', () => {
  it('orders pairs by total non-collaborative weight, then by content weight, without duplicates', () => {
    expect(weightCandidates({ content: [0.2, 0, 0.1, 0], popularity: [0.1, 0] })).toEqual([
      { content: 0, popularity: 0 },
      { content: 0, popularity: 0.1 },
      { content: 0.1, popularity: 0 },
      { content: 0.1, popularity: 0.1 },
      { content: 0.2, popularity: 0 },
      { content: 0.2, popularity: 0.1 },
    ]);
  });
});

describe('relevantByListener', () => {
  it('keeps held-out plays and likes once per song, not skips, dislikes or non-positive weights', () => {
    const relevant = relevantByListener([
      { userId: 'a', itemId: 's1', event: 'play' },
      { userId: 'a', itemId: 's1', event: 'like' },
      { userId: 'a', itemId: 's2', event: 'skip' },
      { userId: 'b', itemId: 's3', event: 'dislike' },
      { userId: 'b', itemId: 's4', event: 'play', weight: 0 },
      { userId: 'c', itemId: 's5' },
    ]);
    expect([...relevant.entries()].map(([u, s]) => [u, [...s]])).toEqual([
      ['a', ['s1']],
      ['c', ['s5']],
    ]);
  });
});

/** Scores every item from a fixed table, whoever the user is. */
class FixedScores extends ScoringRecommender {
  constructor(
    readonly kind: string,
    private readonly scores: readonly number[],
  ) {
    super();
  }
  fit(data: InteractionMatrix): FitReport {
    this.setInteractions(data);
    return { kind: this.kind, users: data.users, items: data.items, nnz: data.nnz, elapsedMs: 0 };
  }
  scoreAll(_user: number, out: Float32Array): Float32Array {
    out.set(this.scores);
    return out;
  }
  toArtifact(): ModelState {
    throw new Error('not stored');
  }
  protected explain() {
    return { source: this.kind };
  }
}

describe('searchEngineWeights', () => {
  // Items a b c d e; every listener has played e, so a–d are ranked.
  const users = Array.from({ length: 10 }, (_, u) => `u${u}`);
  const data = buildInteractionMatrix(
    users.map((userId) => ({ userId, itemId: 'e' })),
    { items: ['a', 'b', 'c', 'd', 'e'] },
  );
  // CF: a (3) just ahead of d (2.9): min–max over a, d, b, c gives a 1, d 0.967, so 0.3·CF is a 0.3, d 0.29.
  // Content ranks d first (1) and a last (0): any content weight ≥ 0.05 lifts d above a.
  const parts = (): WeightSearchComponents => {
    const components = {
      als: new FixedScores('als', [3, 1, 0, 2.9, 0]),
      itemKnn: new FixedScores('item-knn', [0, 0, 0, 0, 0]),
      content: new FixedScores('content', [0, 2, 1, 3, 0]),
      // Every listener played only e: a–d tie, so popularity has no opinion among them.
      popularity: new PopularityRanker(),
    };
    for (const model of Object.values(components)) model.fit(data);
    return { data, ...components, weights: { als: 0.3, itemKnn: 0 }, candidates: 200 };
  };
  const options: EngineWeightSearchOptions = {
    content: [0, 0.05, 0.1],
    popularity: [0, 0.1],
    ratio: 0.8,
    seed: 1,
    k: 1,
    minListeners: 5,
    maxListeners: 100,
  };
  const everyone = (song: string) => new Map([...users, 'ghost'].map((u) => [u, new Set([song])]));

  it('adds the smallest content weight that wins when the held-out songs are what content ranks first', () => {
    const report = searchEngineWeights(parts(), everyone('d'), options);
    expect(report).toMatchObject({
      status: 'searched',
      validationListeners: 10,
      chosen: { content: 0.05, popularity: 0 },
    });
    if (report.status !== 'searched') throw new Error('not searched');
    expect(report.trials.map((t) => [t.content, t.popularity, t.ndcg])).toEqual([
      [0, 0, 0],
      [0.05, 0, 1],
      [0, 0.1, 0],
      [0.1, 0, 1],
      [0.05, 0.1, 1],
      [0.1, 0.1, 1],
    ]);
  });

  it('keeps collaborative filtering alone when the held-out songs are what it ranks first', () => {
    const report = searchEngineWeights(parts(), everyone('a'), options);
    expect(report).toMatchObject({ status: 'searched', chosen: { content: 0, popularity: 0 } });
  });

  it('skips the search with too few known validation listeners', () => {
    expect(searchEngineWeights(parts(), everyone('d'), { ...options, minListeners: 11 })).toEqual({
      status: 'skipped',
      reason: '10 validation listeners, fewer than 11',
      validationListeners: 10,
    });
  });

  it('scores at most maxListeners listeners', () => {
    expect(searchEngineWeights(parts(), everyone('d'), { ...options, maxListeners: 6 })).toMatchObject({
      validationListeners: 6,
    });
  });
});

describe('trainEngineModel with the weight search', () => {
  const SMALL: Partial<EngineModelOptions> = { als: { factors: 4, iterations: 5, regularization: 0.1 } };
  const SEARCH = DEFAULT_ENGINE_MODEL_OPTIONS.weightSearch as EngineWeightSearchOptions;
  const train = (options: Partial<EngineModelOptions>) =>
    trainEngineModel({ catalog: contractCatalog(), interactions: contractInteractions(), options, now: 0 });

  it('keeps the configured weights and says why when there are too few listeners to validate on', () => {
    const model = train(SMALL);
    expect(model.report.weightSearch).toMatchObject({ status: 'skipped' });
    expect(model.options.weights).toEqual(DEFAULT_ENGINE_MODEL_OPTIONS.weights);
  });

  it('serves the chosen content and popularity weights next to the configured collaborative ones', () => {
    const model = train({ ...SMALL, weightSearch: { ...SEARCH, minListeners: 1 } });
    const search = model.report.weightSearch;
    if (search?.status !== 'searched') throw new Error(`expected a search, got ${JSON.stringify(search)}`);
    expect(search.trials).toHaveLength(10);
    const { als, itemKnn } = DEFAULT_ENGINE_MODEL_OPTIONS.weights;
    expect(model.options.weights).toEqual({ als, itemKnn, ...search.chosen });
    expect(model.rankers.hybrid.weights).toMatchObject({ als, 'item-knn': itemKnn, ...search.chosen });
    expect(model.rankers.cf.weights).toMatchObject({ als, 'item-knn': itemKnn, content: 0, popularity: 0 });
  });

  it('uses the given weights untouched with the search off', () => {
    const weights = { als: 0.5, itemKnn: 0.2, content: 0.3, popularity: 0 };
    const model = train({ ...SMALL, weights, weightSearch: false });
    expect(model.report.weightSearch).toBeUndefined();
    expect(model.options.weights).toEqual(weights);
  });

  it('leaves a content or popularity weight the caller gave alone', () => {
    const model = train({
      ...SMALL,
      weights: { content: 0.3 } as EngineModelOptions['weights'],
      weightSearch: { ...SEARCH, minListeners: 1 },
    });
    expect(model.report.weightSearch).toMatchObject({
      status: 'skipped',
      reason: 'the content or popularity weight was given',
    });
    expect(model.options.weights).toEqual({ ...DEFAULT_ENGINE_MODEL_OPTIONS.weights, content: 0.3 });
  });

  it('rejects a search without candidates or with a ratio outside (0, 1)', () => {
    expect(() => train({ weightSearch: { ...SEARCH, content: [] } })).toThrow(/weightSearch.content/);
    expect(() => train({ weightSearch: { ...SEARCH, ratio: 1 } })).toThrow(/weightSearch.ratio/);
  });
});
