import type { Interaction } from '@encore/datasets';
import { buildInteractionMatrix } from '@encore/features';
import { FixedRankingRecommender } from '../testing';
import { evaluateRecommender, itemInteractionCounts, positiveFeedback } from '../index';

const row = (userId: string, itemId: string, weight?: number): Interaction => ({ userId, itemId, weight });

// Items a…e all appear in train; counts a 3, b 1, c 1, d 1, e 1 (7 entries).
const train = buildInteractionMatrix([
  row('u1', 'a'),
  row('u1', 'b'),
  row('u2', 'a'),
  row('u2', 'c'),
  row('u3', 'd'),
  row('u3', 'e'),
  row('u3', 'a'),
]);
// u2's z is not in the training universe; u4 is not a training user.
const test = [row('u1', 'c', 5), row('u1', 'd', 2), row('u2', 'e', 1), row('u2', 'z', 5), row('u4', 'a', 5)];

function model(rankings: Record<string, string[]>): FixedRankingRecommender {
  const m = new FixedRankingRecommender(rankings);
  m.fit(train);
  return m;
}

// After removing seen items, u1 gets [c, e] (hit at 1) and u2 gets [d, e] (hit at 2).
const fixed = model({ u1: ['a', 'c', 'e', 'd'], u2: ['d', 'a', 'e'], u4: ['a'] });

describe('evaluateRecommender', () => {
  it('averages each metric over test users known to train (hand-computed, K = 2)', () => {
    const r = evaluateRecommender(fixed, train, test, { k: 2 });
    // u1: relevant {c, d}, list [c, e]: precision 1/2, recall 1/2,
    //     nDCG = 1 / (1 + 1/log2 3) = 0.61314719, AP = (1/1) / 2 = 0.5, hit 1
    // u2: relevant {e, z}, list [d, e]: precision 1/2, recall 1/2 (z counts but cannot be hit),
    //     nDCG = (1/log2 3) / (1 + 1/log2 3) = 0.38685281, AP = (1/2) / 2 = 0.25, hit 1
    expect(r.k).toBe(2);
    expect(r.users).toBe(2);
    expect(r.skippedUsers).toBe(1); // u4
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.ndcg).toBeCloseTo((0.6131471927654584 + 0.38685280723454163) / 2, 12);
    expect(r.map).toBeCloseTo((0.5 + 0.25) / 2, 12);
    expect(r.hitRate).toBe(1);
    // lists {c, e} ∪ {d, e} = 3 of 5 items
    expect(r.coverage).toBeCloseTo(3 / 5, 12);
    // c, e, d, e each have 1 of 7 training entries: −log2(1/7) = log2 7 = 2.80735492
    expect(r.novelty).toBeCloseTo(Math.log2(7), 12);
  });

  it('can score unknown test users as empty lists', () => {
    const r = evaluateRecommender(fixed, train, test, { k: 2, unknownUsers: 'count-empty' });
    // u4 adds a zero on every ranking metric: means over 3 users
    expect(r.users).toBe(3);
    expect(r.skippedUsers).toBe(0);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.ndcg).toBeCloseTo(1 / 3, 12);
    expect(r.map).toBeCloseTo(0.75 / 3, 12);
    expect(r.hitRate).toBeCloseTo(2 / 3, 12);
    expect(r.coverage).toBeCloseTo(3 / 5, 12);
  });

  it('keeps only relevant test rows when given a relevance rule', () => {
    const r = evaluateRecommender(fixed, train, test, { k: 2, relevance: (w) => w >= 4 });
    // u1: relevant {c}, list [c, e]: precision 1/2, recall 1, nDCG 1, AP 1, hit 1
    // u2: relevant {z}: nothing can hit → all 0
    expect(r.users).toBe(2);
    expect(r.precision).toBeCloseTo(0.25, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.ndcg).toBeCloseTo(0.5, 12);
    expect(r.map).toBeCloseTo(0.5, 12);
    expect(r.hitRate).toBeCloseTo(0.5, 12);
  });

  it('positiveFeedback leaves skips, dislikes and non-positive weights out of the relevant set', () => {
    const events: Interaction[] = [
      { userId: 'u1', itemId: 'c', event: 'skip' },
      { userId: 'u1', itemId: 'e', event: 'dislike' },
      { userId: 'u1', itemId: 'd', event: 'play', weight: 0 },
      { userId: 'u2', itemId: 'e', event: 'like' },
    ];
    const r = evaluateRecommender(fixed, train, events, { k: 2, relevance: positiveFeedback });
    // Only u2 has a relevant row: list [d, e], hit e at rank 2 → precision 1/2, recall 1
    expect(r.users).toBe(1);
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.recall).toBe(1);
    expect(evaluateRecommender(fixed, train, events, { k: 2 }).users).toBe(2);
  });

  it('lets seen items back in when excludeSeen is false (lists from scoreAll)', () => {
    const r = evaluateRecommender(fixed, train, test, { k: 2, excludeSeen: false, users: ['u1'] });
    // u1 list [a, c]: hit c at rank 2 → precision 1/2, AP = (1/2) / 2
    expect(r.users).toBe(1);
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.map).toBeCloseTo(0.25, 12);
    // novelty of a (3/7) and c (1/7): (1.22239242 + 2.80735492) / 2
    expect(r.novelty).toBeCloseTo((-Math.log2(3 / 7) + Math.log2(7)) / 2, 12);
  });

  it('follows the MAP normalisation option', () => {
    const r = evaluateRecommender(fixed, train, test, { k: 1, mapNormalisation: 'min-k-relevant' });
    // K = 1: u1 [c] hit → 1 / min(1, 2) = 1; u2 [d] miss → 0
    expect(r.map).toBeCloseTo(0.5, 12);
    expect(evaluateRecommender(fixed, train, test, { k: 1 }).map).toBeCloseTo(0.25, 12);
  });

  it('gives a perfect recommender precision, recall, nDCG, MAP and hit rate of 1', () => {
    const full = buildInteractionMatrix([
      row('p', 'x0'),
      row('q', 'x0'),
      ...['x1', 'x2', 'x3', 'x4', 'x5'].map((i) => row('r', i)),
    ]);
    const heldOut = [row('p', 'x1'), row('p', 'x2'), row('q', 'x3'), row('q', 'x4')];
    const perfect = new FixedRankingRecommender({ p: ['x2', 'x1', 'x5'], q: ['x4', 'x3', 'x1'] });
    perfect.fit(full);
    const r = evaluateRecommender(perfect, full, heldOut, { k: 2 });
    expect(r).toMatchObject({ users: 2, precision: 1, recall: 1, ndcg: 1, map: 1, hitRate: 1 });
  });

  it('counts item popularity as stored training entries', () => {
    expect(Array.from(itemInteractionCounts(train))).toEqual([3, 1, 1, 1, 1]);
  });

  it('rejects a bad K and handles an empty test set', () => {
    expect(() => evaluateRecommender(fixed, train, test, { k: 0 })).toThrow('k must be a positive integer, got 0');
    expect(evaluateRecommender(fixed, train, [], { k: 3 })).toMatchObject({ users: 0, precision: 0, coverage: 0 });
  });
});
