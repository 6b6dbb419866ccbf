import { buildInteractionMatrix } from './interaction-builder';
import { assertUser, rankUnseen } from './recommender';

describe('rankUnseen', () => {
  const data = buildInteractionMatrix([
    { userId: 'u', itemId: 'a' },
    { userId: 'u', itemId: 'b', event: 'dislike' },
    { userId: 'v', itemId: 'c' },
    { userId: 'v', itemId: 'd' },
  ]);

  it('masks seen, disliked and excluded items, then takes the best k in order', () => {
    const scores = Float32Array.from([9, 8, 7, 6]);
    expect(rankUnseen(scores, 5, data, 0).map((s) => s.index)).toEqual([2, 3]);
    expect(rankUnseen(Float32Array.from([9, 8, 7, 6]), 5, data, 0, new Set([2, 40])).map((s) => s.index)).toEqual([3]);
    expect(rankUnseen(Float32Array.from([1, 2, 3, 4]), 2, null, -1)).toEqual([
      { index: 3, score: 4 },
      { index: 2, score: 3 },
    ]);
  });

  it('breaks ties towards the lower index', () => {
    expect(rankUnseen(Float32Array.from([1, 5, 5, 5]), 2, null, -1).map((s) => s.index)).toEqual([1, 2]);
  });

  it('names the valid range of user indices', () => {
    expect(() => assertUser('m', 2, 2)).toThrow('m: user index 2 is outside the 2 fitted users (0…1)');
    expect(() => assertUser('m', 0.5, 2)).toThrow(RangeError);
    expect(() => assertUser('m', 1, 2)).not.toThrow();
  });
});
