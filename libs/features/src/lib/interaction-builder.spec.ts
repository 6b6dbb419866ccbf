import { buildInteractionMatrix, type InteractionEvent } from './interaction-builder';
import { InteractionMatrix } from './interaction-matrix';

const dense = (m: InteractionMatrix) => m.matrix.toDense().map((r) => Array.from(r));

describe('buildInteractionMatrix', () => {
  const events: InteractionEvent[] = [
    { userId: 'ann', itemId: 'a' },
    { userId: 'ann', itemId: 'a', event: 'play' },
    { userId: 'ann', itemId: 'a', event: 'like' },
    { userId: 'ann', itemId: 'b', event: 'skip' },
    { userId: 'bob', itemId: 'a', weight: 3 },
    { userId: 'bob', itemId: 'b', event: 'play' },
    { userId: 'bob', itemId: 'b', event: 'dislike' },
    { userId: 'bob', itemId: 'c', event: 'like' },
  ];

  it('maps ids to dense indices in order of first appearance, both ways', () => {
    const m = buildInteractionMatrix(events);
    expect(m.userIds).toEqual(['ann', 'bob']);
    expect(m.itemIds).toEqual(['a', 'b', 'c']);
    expect(m.userIndex('bob')).toBe(1);
    expect(m.itemIndex('c')).toBe(2);
    expect(m.itemIndex('zzz')).toBe(-1);
  });

  it('accumulates repeated events with default weights (play 1, like 4, skip −1), clamping a negative total at 0', () => {
    // ann/a: 1 + 1 + 4 = 6; ann/b: −1 → 0 but still seen; bob/a: 1·3; bob/b disliked; bob/c: 4.
    const m = buildInteractionMatrix(events);
    expect(dense(m)).toEqual([
      [6, 0, 0],
      [3, 0, 4],
    ]);
    expect(Array.from(m.seen(0))).toEqual([0, 1]);
    expect(Array.from(m.values(0))).toEqual([6, 0]);
    expect(Array.from(m.seen(1))).toEqual([0, 2]);
  });

  it('keeps negative totals when asked', () => {
    const m = buildInteractionMatrix(events, { negatives: 'keep' });
    expect(dense(m)[0]).toEqual([6, -1, 0]);
  });

  it('records dislikes apart so the song leaves the preference matrix for good', () => {
    const m = buildInteractionMatrix(events);
    expect(Array.from(m.disliked(1))).toEqual([1]);
    expect(Array.from(m.disliked(0))).toEqual([]);
    expect(m.matrix.get(1, 1)).toBe(0);
    expect(Array.from(m.seen(1))).not.toContain(1);
  });

  it('applies configurable event weights', () => {
    const m = buildInteractionMatrix(
      [
        { userId: 'u', itemId: 'x', event: 'like' },
        { userId: 'u', itemId: 'x', event: 'share' },
      ],
      { eventWeights: { like: 2, share: 3 } },
    );
    expect(m.matrix.get(0, 0)).toBe(5);
    expect(() => buildInteractionMatrix([], { eventWeights: { dislike: -5 } })).toThrow('"dislike" is not weighted');
  });

  it('decays by half per half-life before the latest event (hand-computed 0.25 + 0.5 + 1)', () => {
    const m = buildInteractionMatrix(
      [
        { userId: 'u', itemId: 'x', timestamp: 10 },
        { userId: 'u', itemId: 'x', timestamp: 20 },
        { userId: 'u', itemId: 'x', timestamp: 30 },
        { userId: 'u', itemId: 'y', event: 'like', timestamp: 20 },
        { userId: 'u', itemId: 'z' },
      ],
      { halfLife: 10 },
    );
    expect(m.matrix.get(0, 0)).toBeCloseTo(1.75, 6);
    expect(m.matrix.get(0, 1)).toBeCloseTo(2, 6);
    expect(m.matrix.get(0, 2)).toBe(1);
  });

  it('decays relative to an explicit reference time without boosting later events', () => {
    const m = buildInteractionMatrix(
      [
        { userId: 'u', itemId: 'x', timestamp: 0 },
        { userId: 'u', itemId: 'y', timestamp: 200 },
      ],
      { halfLife: 50, referenceTime: 100 },
    );
    expect(m.matrix.get(0, 0)).toBeCloseTo(0.25, 6);
    expect(m.matrix.get(0, 1)).toBe(1);
  });

  it('keeps a fixed item and user universe, with empty columns for untouched items', () => {
    const m = buildInteractionMatrix([{ userId: 'bob', itemId: 'b' }], {
      items: ['a', 'b', 'c'],
      users: ['ann', 'bob'],
    });
    expect(m.items).toBe(3);
    expect(m.users).toBe(2);
    expect(dense(m)).toEqual([
      [0, 0, 0],
      [0, 1, 0],
    ]);
    expect(m.itemUsers.rowLength(2)).toBe(0);
  });

  it('rejects or ignores events outside a fixed universe, and unknown event kinds', () => {
    const outside = [{ userId: 'ann', itemId: 'zzz' }];
    expect(() => buildInteractionMatrix(outside, { items: ['a'] })).toThrow(
      'item "zzz" is not in the fixed item universe',
    );
    expect(buildInteractionMatrix(outside, { items: ['a'], onUnknown: 'ignore' }).nnz).toBe(0);
    expect(() => buildInteractionMatrix([{ userId: 'u', itemId: 'x', event: 'hum' }])).toThrow(
      'unknown event "hum" (known: play, like, skip, dislike)',
    );
    expect(() => buildInteractionMatrix([], { items: ['a', 'a'] })).toThrow('"a" appears twice');
    expect(() => buildInteractionMatrix([], { halfLife: 0 })).toThrow('halfLife must be > 0');
  });

  it('reads any iterable, e.g. a generator, and grows past its initial buffers', () => {
    function* many() {
      for (let i = 0; i < 3000; i++) yield { userId: `u${i % 7}`, itemId: `i${i % 11}` };
    }
    const m = buildInteractionMatrix(many());
    expect(m.users).toBe(7);
    expect(m.items).toBe(11);
    let total = 0;
    for (const v of m.matrix.values) total += v;
    expect(total).toBe(3000);
  });
});

describe('InteractionMatrix state', () => {
  it('round-trips interactions and dislikes through blobs and meta', () => {
    const m = buildInteractionMatrix([
      { userId: 'ann', itemId: 'a', weight: 2 },
      { userId: 'bob', itemId: 'b', event: 'dislike' },
    ]);
    const { blobs, meta } = m.toState();
    const back = InteractionMatrix.fromState(blobs, JSON.parse(JSON.stringify(meta)));
    expect(dense(back)).toEqual(dense(m));
    expect(back.userIds).toEqual(['ann', 'bob']);
    expect(Array.from(back.disliked(1))).toEqual([1]);
    expect(() => InteractionMatrix.fromState({}, meta)).toThrow('blob "interactions.rowPtr" is missing');
    expect(() => InteractionMatrix.fromState(blobs, {})).toThrow('userIds/itemIds');
  });
});
