import { tinyCatalog } from '@encore/catalog/testing';
import { buildInteractionMatrix, type InteractionEvent } from '@encore/features';
import { cloneModelState, describeRecommenderContract } from '@encore/features/testing';
import { ContentRecommender, ItemFeatures, songFeatures } from '../index';
import { contractItemFeatures } from '../testing';

describeRecommenderContract('ContentRecommender', {
  create: () => new ContentRecommender(contractItemFeatures()),
  fromArtifact: (s) => ContentRecommender.fromArtifact(s),
});

/** Three items on the unit axes of a 2-d dense space plus one in between: x = (1,0), y = (0,1), z = (0.6,0.8). */
function axes(): ItemFeatures {
  return ItemFeatures.build({
    ids: ['x', 'y', 'z'],
    dense: { dim: 2, values: Float32Array.from([1, 0, 0, 1, 0.6, 0.8]) },
  });
}

const matrix = (events: InteractionEvent[], items: string[], negatives: 'clamp' | 'keep' = 'clamp') =>
  buildInteractionMatrix(events, { items, negatives });

describe('ContentRecommender', () => {
  it('scores the cosine between the weighted profile and each item (hand-computed)', () => {
    // Profile = 3·x + 1·y = (3, 1), |p| = √10: x → 3/√10, y → 1/√10, z → (1.8 + 0.8)/√10.
    const data = matrix(
      [
        { userId: 'u', itemId: 'x', weight: 3 },
        { userId: 'u', itemId: 'y', weight: 1 },
      ],
      ['x', 'y', 'z'],
    );
    const model = new ContentRecommender(axes(), { weighting: 'value' });
    model.fit(data);
    const out = model.scoreAll(0, new Float32Array(3));
    expect(out[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(out[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(out[2]).toBeCloseTo(2.6 / Math.sqrt(10), 6);
    expect(model.recommend(0, 5)).toEqual([
      { index: 2, score: Math.fround(2.6 / Math.sqrt(10)), reason: { source: 'content', seedItem: 0 } },
    ]);
  });

  it('damps values with ln(1 + v) under the default weighting', () => {
    const data = matrix(
      [
        { userId: 'u', itemId: 'x', weight: Math.E - 1 },
        { userId: 'u', itemId: 'y', weight: Math.E * Math.E - 1 },
      ],
      ['x', 'y', 'z'],
    );
    const model = new ContentRecommender(axes());
    model.fit(data);
    // Weights 1 and 2: profile (1, 2)/√5, z → (0.6 + 1.6)/√5.
    expect(model.scoreAll(0, new Float32Array(3))[2]).toBeCloseTo(2.2 / Math.sqrt(5), 5);
  });

  it('subtracts the mean item vector with centre: traits every item shares stop counting', () => {
    // Mean of x, y, z = (1.6/3, 1.8/3). One play of x: profile ∝ x − mean = (1.4/3, −1.8/3).
    const data = matrix([{ userId: 'u', itemId: 'x', weight: 1 }], ['x', 'y', 'z']);
    const model = new ContentRecommender(axes(), { centre: true, weighting: 'binary' });
    model.fit(data);
    const out = model.scoreAll(0, new Float32Array(3));
    const norm = Math.hypot(1.4, 1.8);
    expect(out[1]).toBeCloseTo(-1.8 / norm, 6);
    expect(out[2]).toBeCloseTo((0.6 * 1.4 - 0.8 * 1.8) / norm, 6);
  });

  it('lets skips (negative values) push similar songs down', () => {
    const catalog = tinyCatalog(); // r1 r2 r3 rock, a1 a2 a3 acoustic
    const features = songFeatures(catalog);
    const played: InteractionEvent[] = [
      { userId: 'u', itemId: 'r1', weight: 2 },
      { userId: 'u', itemId: 'a1', weight: 2 },
    ];
    const skips: InteractionEvent[] = [
      { userId: 'u', itemId: 'a2', event: 'skip' },
      { userId: 'u', itemId: 'a2', event: 'skip' },
    ];
    const plain = new ContentRecommender(features);
    plain.fit(matrix(played, catalog.ids));
    const skipped = new ContentRecommender(features);
    skipped.fit(matrix([...played, ...skips], catalog.ids, 'keep'));
    const before = plain.scoreAll(0, new Float32Array(6));
    const after = skipped.scoreAll(0, new Float32Array(6));
    // a3 (acoustic, like the skipped a2) loses ground and falls behind the rock songs.
    expect(after[5] - after[1]).toBeLessThan(before[5] - before[1]);
    expect(skipped.recommend(0, 2).map((s) => catalog.ids[s.index])).toEqual(['r2', 'r3']);
    expect(after[5]).toBeLessThan(before[5]);
  });

  it('lets dislikes push similar songs down', () => {
    const catalog = tinyCatalog();
    const features = songFeatures(catalog);
    const played: InteractionEvent[] = [
      { userId: 'u', itemId: 'r1' },
      { userId: 'u', itemId: 'a1' },
    ];
    const plain = new ContentRecommender(features);
    plain.fit(matrix(played, catalog.ids));
    const disliking = new ContentRecommender(features);
    disliking.fit(matrix([...played, { userId: 'u', itemId: 'r2', event: 'dislike' }], catalog.ids));
    const before = plain.scoreAll(0, new Float32Array(6));
    const after = disliking.scoreAll(0, new Float32Array(6));
    expect(after[2]).toBeLessThan(before[2]); // r3 is rock, like the disliked r2
    expect(after[4]).toBeGreaterThan(before[4]); // a2 gains relative to the profile's norm
    expect(disliking.recommend(0, 3).map((s) => catalog.ids[s.index])).not.toContain('r2');
  });

  it('finds same-cluster songs first with similarItems, with the song itself as the seed', () => {
    const catalog = tinyCatalog();
    const model = new ContentRecommender(songFeatures(catalog));
    model.fit(matrix([{ userId: 'u', itemId: 'r1' }], catalog.ids));
    const nameOf = (i: number) => catalog.ids[i];
    const rock = model.similarItems(0, 2);
    expect(rock.map((s) => nameOf(s.index)).sort()).toEqual(['r2', 'r3']);
    expect(rock[0].reason).toEqual({ source: 'content', seedItem: 0 });
    expect(
      model
        .similarItems(3, 2)
        .map((s) => nameOf(s.index))
        .sort(),
    ).toEqual(['a2', 'a3']);
    expect(rock[0].score).toBeGreaterThanOrEqual(rock[1].score);
  });

  it('folds in a guest from a few liked songs, matching scoreAll of a user with the same history', () => {
    const catalog = tinyCatalog();
    const model = new ContentRecommender(songFeatures(catalog));
    const data = matrix(
      [
        { userId: 'u', itemId: 'a1', weight: 3 },
        { userId: 'u', itemId: 'r2', weight: 1 },
      ],
      catalog.ids,
    );
    model.fit(data);
    const known = model.scoreAll(0, new Float32Array(6));
    const guest = model.scoreInteractions(
      Int32Array.from(data.seen(0)),
      Float32Array.from(data.values(0)),
      new Float32Array(6),
    );
    expect(Array.from(guest)).toEqual(Array.from(known));
    // The acoustic guest's seed for a2 is a1, not r2.
    expect(model.explainInteractions([3, 1], [3, 1], 4)).toEqual({ source: 'content', seedItem: 3 });
    expect(Array.from(model.scoreInteractions([], [], new Float32Array(6)))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => model.scoreInteractions([9], [1], new Float32Array(6))).toThrow('item index 9 is outside the 6 items');
  });

  it('aligns features given in another order and scores items without features 0', () => {
    const features = ItemFeatures.build({
      ids: ['z', 'x'],
      dense: { dim: 2, values: Float32Array.from([0.6, 0.8, 1, 0]) },
    });
    const model = new ContentRecommender(features, { weighting: 'binary' });
    const report = model.fit(matrix([{ userId: 'u', itemId: 'x' }], ['x', 'y', 'z']));
    expect(report.details).toMatchObject({ itemsWithoutFeatures: 1 });
    const out = model.scoreAll(0, new Float32Array(3));
    expect(Array.from(out)).toEqual([1, 0, Math.fround(0.6)]);
    const restored = ContentRecommender.fromArtifact(cloneModelState(model.toArtifact()));
    expect(Array.from(restored.scoreAll(0, new Float32Array(3)))).toEqual(Array.from(out));
  });

  it('validates options and artifacts', () => {
    expect(() => new ContentRecommender(axes(), { negativeWeight: -1 })).toThrow('negativeWeight must be ≥ 0');
    expect(() => new ContentRecommender(axes(), { weighting: 'squared' as 'value' })).toThrow(
      'unknown weighting "squared"',
    );
    expect(() => ContentRecommender.fromArtifact({ kind: 'als', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected a "content" artifact',
    );
    expect(() => ContentRecommender.fromArtifact({ kind: 'content', params: {}, blobs: {}, meta: {} })).toThrow(
      'lacks the features entry',
    );
  });
});
