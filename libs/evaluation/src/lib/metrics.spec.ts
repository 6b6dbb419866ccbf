import { catalogCoverage, hitRateAtK, idealDcg, mapAtK, ndcgAtK, novelty, precisionAtK, recallAtK } from '../index';

// One list used throughout: hits at ranks 2 (b) and 4 (d); x is relevant but never recommended.
const ranked = ['a', 'b', 'c', 'd', 'e'];
const relevant = new Set(['b', 'd', 'x']);

describe('precisionAtK', () => {
  it('divides hits in the top K by K', () => {
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(2 / 5, 12); // b, d
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12); // b only
    expect(precisionAtK(ranked, relevant, 1)).toBe(0);
  });

  it('still divides by K when the list is shorter than K', () => {
    expect(precisionAtK(['b'], relevant, 5)).toBeCloseTo(1 / 5, 12);
  });

  it('counts a relevant item repeated in the list once', () => {
    expect(precisionAtK(['b', 'b', 'd'], relevant, 3)).toBeCloseTo(2 / 3, 12);
  });

  it('rejects a K that is not a positive integer', () => {
    expect(() => precisionAtK(ranked, relevant, 0)).toThrow('k must be a positive integer, got 0');
    expect(() => precisionAtK(ranked, relevant, 2.5)).toThrow(/got 2.5/);
  });
});

describe('recallAtK', () => {
  it('divides hits by the number of relevant items', () => {
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, new Set<string>(), 5)).toBe(0);
  });
});

describe('ndcgAtK', () => {
  it('uses binary gains, a log2(rank + 1) discount and an ideal of min(|relevant|, K) hits', () => {
    // DCG@5 = 1/log2(3) + 1/log2(5) = 0.63092975 + 0.43067656 = 1.06160631
    // IDCG over min(3, 5) = 3: 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.63092975 + 0.5 = 2.13092975
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(1.0616063116448506 / 2.1309297535714578, 12);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(0.498189257, 8);
    // K = 2: DCG = 1/log2(3) = 0.63092975; IDCG over min(3, 2) = 2: 1 + 0.63092975 → 0.38685281
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(0.386852807, 8);
  });

  it('is 1 for a perfect list, even when there are more relevant items than K', () => {
    expect(ndcgAtK(['b', 'd', 'x'], relevant, 3)).toBe(1);
    expect(ndcgAtK(['b', 'd'], relevant, 2)).toBe(1);
    expect(idealDcg(2)).toBeCloseTo(1 + 1 / Math.log2(3), 12);
  });
});

describe('mapAtK', () => {
  it('sums precision at each hit and divides by |relevant| by default (Recommenders)', () => {
    // hits at ranks 2, 4: precision@2 = 1/2, precision@4 = 2/4 → (0.5 + 0.5) / 3
    expect(mapAtK(ranked, relevant, 5)).toBeCloseTo(1 / 3, 12);
    // K = 2: only the hit at rank 2 → 0.5 / |relevant| 3
    expect(mapAtK(ranked, relevant, 2)).toBeCloseTo(1 / 6, 12);
  });

  it('divides by min(K, |relevant|) with the min-k-relevant normalisation', () => {
    // K = 2: 0.5 / min(2, 3) = 0.25
    expect(mapAtK(ranked, relevant, 2, { normalisation: 'min-k-relevant' })).toBeCloseTo(1 / 4, 12);
    // K = 5: min(5, 3) = 3, same as the default
    expect(mapAtK(ranked, relevant, 5, { normalisation: 'min-k-relevant' })).toBeCloseTo(1 / 3, 12);
  });

  it('reaches 1 for a perfect list only under min-k-relevant when |relevant| > K', () => {
    const four = new Set(['a', 'b', 'c', 'd']);
    // (1/1 + 2/2) / 4 = 0.5 versus (1/1 + 2/2) / min(2, 4) = 1
    expect(mapAtK(['a', 'b'], four, 2)).toBeCloseTo(0.5, 12);
    expect(mapAtK(['a', 'b'], four, 2, { normalisation: 'min-k-relevant' })).toBe(1);
    expect(mapAtK(['b', 'd', 'x'], relevant, 3)).toBe(1);
  });
});

describe('hitRateAtK', () => {
  it('is 1 when any relevant item is in the top K', () => {
    expect(hitRateAtK(ranked, relevant, 2)).toBe(1);
    expect(hitRateAtK(ranked, relevant, 1)).toBe(0);
    expect(hitRateAtK([], relevant, 3)).toBe(0);
  });
});

describe('catalogCoverage', () => {
  it('is the share of items recommended to at least one user', () => {
    // {0, 1} ∪ {1, 2} = 3 distinct of 5
    expect(catalogCoverage([[0, 1], Int32Array.from([1, 2])], 5)).toBeCloseTo(3 / 5, 12);
    expect(catalogCoverage([], 5)).toBe(0);
    expect(() => catalogCoverage([[5]], 5)).toThrow('item index 5 outside 0…4');
  });
});

describe('novelty', () => {
  it('averages −log2(training share) over every recommendation', () => {
    // counts 6, 2, 1, 1 of 10: −log2 0.6 = 0.73696559, −log2 0.2 = 2.32192809, −log2 0.1 = 3.32192809
    // recommendations 0, 1, 2 → (0.73696559 + 2.32192809 + 3.32192809) / 3 = 2.12694059
    expect(novelty([[0, 1], [2]], [6, 2, 1, 1])).toBeCloseTo(2.126940595, 8);
    // a repeated recommendation counts each time: (0.73696559 × 2 + 3.32192809) / 3
    expect(novelty([[0], [0, 3]], [6, 2, 1, 1])).toBeCloseTo((2 * 0.7369655941662062 + 3.321928094887362) / 3, 12);
  });

  it('leaves items without training interactions out of the mean', () => {
    expect(novelty([[4, 0]], [6, 2, 1, 1, 0])).toBeCloseTo(0.7369655941662062, 12);
    expect(novelty([[4]], [6, 2, 1, 1, 0])).toBe(0);
  });
});
