import { buildMatrix, matrixEvents, relevanceFor } from './interaction-rows';

describe('interaction rows → matrix', () => {
  it('reads weight as the final weight, falling back to the event default, and keeps dislikes apart', () => {
    const events = [
      ...matrixEvents([
        { userId: 'u', itemId: 'a', event: 'skip', weight: -1 },
        { userId: 'u', itemId: 'b', event: 'like' },
        { userId: 'u', itemId: 'c' },
        { userId: 'u', itemId: 'd', event: 'dislike' },
      ]),
    ];
    expect(events.map((e) => [e.itemId, e.event, e.weight])).toEqual([
      ['a', undefined, -1],
      ['b', undefined, 4],
      ['c', undefined, 1],
      ['d', 'dislike', undefined],
    ]);
    const m = buildMatrix([
      { userId: 'u', itemId: 'a', event: 'play', weight: 1 },
      { userId: 'u', itemId: 'a', event: 'skip', weight: -1 },
      { userId: 'u', itemId: 'a', event: 'skip', weight: -1 },
      { userId: 'u', itemId: 'b', event: 'like', weight: 4 },
    ]);
    // a: 1 − 1 − 1 = −1 → clamped to 0 (seen, no preference); b: 4.
    expect(Array.from(m.values(0))).toEqual([0, 4]);
    expect(() => [...matrixEvents([{ userId: 'u', itemId: 'a', event: 'share' }])]).toThrow(
      'event "share" (user u, item a) has no weight and no default one; known events: play, like, skip, dislike',
    );
  });

  it('counts skips as irrelevant only when the data has event kinds', () => {
    expect(relevanceFor([{ userId: 'u', itemId: 'a', weight: 3 }])).toBeUndefined();
    const rule = relevanceFor([{ userId: 'u', itemId: 'a', event: 'play' }]);
    expect(rule?.(1, { userId: 'u', itemId: 'a', event: 'skip' })).toBe(false);
    expect(rule?.(4, { userId: 'u', itemId: 'a', event: 'like' })).toBe(true);
  });
});
