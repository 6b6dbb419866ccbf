import { DISLIKE_EVENT, ScoringRecommender, buildInteractionMatrix, type InteractionEvent } from '@encore/features';
import { Rng } from '@encore/linalg';
import { describeRecommenderContract } from '@encore/features/testing';
import { plantedBlocks, plantedRecovery } from '../testing';
import { ImplicitAls } from './implicit-als';

const small = { factors: 6, iterations: 8, regularization: 0.1, alpha: 5, seed: 3 };

describe('ImplicitAls', () => {
  describeRecommenderContract('ImplicitAls', {
    create: () => new ImplicitAls(small),
    fromArtifact: (s) => ImplicitAls.fromArtifact(s),
  });
  describeRecommenderContract('ImplicitAls (log confidence)', {
    create: () => new ImplicitAls({ ...small, scaling: 'log', alpha: 20 }),
    fromArtifact: (s) => ImplicitAls.fromArtifact(s),
  });

  // Rank = number of blocks recovers the structure; spare factors need a stronger λ, or they
  // fit each user's own plays and push withheld items down to the other block's level.
  it.each([
    [2, 2, 1],
    [3, 3, 1],
    [2, 8, 5],
  ])(
    'recovers a planted %d-block structure with %d factors, λ = %d: withheld in-block items beat other blocks',
    (blocks, factors, regularization) => {
      const planted = plantedBlocks({ blocks, usersPerBlock: 15, itemsPerBlock: 12, seed: 9 });
      const model = new ImplicitAls({ factors, iterations: 10, regularization, alpha: 5 });
      model.fit(planted.data);
      expect(plantedRecovery(planted, (u, out) => model.scoreAll(u, out))).toBe(1);
    },
  );

  it('decreases the weighted loss every iteration', () => {
    const { data } = plantedBlocks({ blocks: 3, usersPerBlock: 10, itemsPerBlock: 30 });
    const report = new ImplicitAls({
      factors: 8,
      iterations: 10,
      regularization: 0.1,
      alpha: 10,
      computeLoss: true,
    }).fit(data);
    const loss = report.details?.['loss'] as number[];
    expect(loss).toHaveLength(10);
    for (let i = 1; i < loss.length; i++) expect(loss[i]).toBeLessThanOrEqual(loss[i - 1] * (1 + 1e-6));
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  });

  // Short rows are solved exactly (Woodbury), long ones by CG; with cgSteps ≥ factors CG is exact
  // too, so either way the last user sweep is the least-squares step fold-in computes.
  it.each([
    ['short user rows (exact path)', 10],
    ['long user rows (conjugate-gradient path)', 40],
  ])('folds a trained user back in to (nearly) the same vector: %s', (_, itemsPerBlock) => {
    const { data } = plantedBlocks({ itemsPerBlock, density: 0.8 });
    const k = 4;
    const model = new ImplicitAls({ factors: k, cgSteps: 8, iterations: 6, regularization: 0.5, alpha: 5 });
    model.fit(data);
    for (const u of [0, 5, 17]) {
      const folded = model.foldInUser(data.seen(u), data.values(u));
      const trained = model.userFactors.subarray(u * k, (u + 1) * k);
      for (let f = 0; f < k; f++) expect(folded[f]).toBeCloseTo(trained[f], 4);
    }
    const viaScores = model.scoreInteractions(data.seen(0), data.values(0), new Float32Array(data.items));
    const direct = model.scoreAll(0, new Float32Array(data.items));
    for (let i = 0; i < data.items; i++) expect(viaScores[i]).toBeCloseTo(direct[i], 4);
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const { data } = plantedBlocks();
    const a = new ImplicitAls({ ...small, seed: 1 });
    const b = new ImplicitAls({ ...small, seed: 1 });
    const c = new ImplicitAls({ ...small, seed: 2 });
    a.fit(data);
    b.fit(data);
    c.fit(data);
    expect(Array.from(b.itemFactors)).toEqual(Array.from(a.itemFactors));
    expect(Array.from(b.userFactors)).toEqual(Array.from(a.userFactors));
    expect(Array.from(c.itemFactors)).not.toEqual(Array.from(a.itemFactors));
  });

  // recommend() searches a norm-ordered item index and stops early; the inherited path scores every
  // item, masks and heap-selects. Both must give the same items, scores and order.
  it('recommends exactly what scoring every item would, with seen, disliked and excluded items left out', () => {
    const rng = new Rng(21);
    const users = 40;
    const items = 300;
    const events: InteractionEvent[] = [];
    for (let u = 0; u < users; u++) {
      for (let e = 0; e < 25; e++) {
        // Popularity falls off steeply, so item norms are long-tailed as in a real catalog.
        const item = Math.floor(items * rng.next() ** 3);
        events.push(
          rng.next() < 0.1
            ? { userId: `u${u}`, itemId: `i${item}`, event: DISLIKE_EVENT }
            : { userId: `u${u}`, itemId: `i${item}`, weight: 1 + rng.int(3) },
        );
      }
    }
    const data = buildInteractionMatrix(events, {
      users: Array.from({ length: users }, (_, u) => `u${u}`),
      items: Array.from({ length: items }, (_, i) => `i${i}`),
    });
    const model = new ImplicitAls({ factors: 8, iterations: 5, regularization: 1, alpha: 5 });
    model.fit(data);
    const bruteForce = (u: number, k: number, exclude?: ReadonlySet<number>) =>
      ScoringRecommender.prototype.recommend.call(model, u, k, exclude);
    for (let u = 0; u < users; u++) {
      const exclude = new Set([rng.int(items), rng.int(items), -1, items + 5]);
      for (const k of [1, 10, 60]) {
        expect(model.recommend(u, k)).toEqual(bruteForce(u, k));
        expect(model.recommend(u, k, exclude)).toEqual(bruteForce(u, k, exclude));
      }
    }
    const restored = ImplicitAls.fromArtifact(model.toArtifact());
    expect(restored.recommend(3, 10)).toEqual(bruteForce(3, 10));
  });

  it('finds similar items within the same block by factor cosine', () => {
    const planted = plantedBlocks({ usersPerBlock: 15, itemsPerBlock: 12 });
    const model = new ImplicitAls({ factors: 2, iterations: 10, regularization: 1, alpha: 5 });
    model.fit(planted.data);
    for (const item of [0, 5, 13, 20]) {
      const similar = model.similarItems(item, 5);
      expect(similar).toHaveLength(5);
      expect(similar.map((s) => s.index)).not.toContain(item);
      for (const s of similar) expect(planted.itemBlock[s.index]).toBe(planted.itemBlock[item]);
      for (let i = 1; i < similar.length; i++) expect(similar[i].score).toBeLessThanOrEqual(similar[i - 1].score);
    }
  });

  it('treats kept negative totals as confident non-preference', () => {
    const events = [
      ...['a', 'b'].flatMap((itemId) => ['u0', 'u1', 'u2'].map((userId) => ({ userId, itemId }))),
      { userId: 'u3', itemId: 'a' },
      { userId: 'u3', itemId: 'b', event: 'skip', weight: 3 },
    ];
    const data = buildInteractionMatrix(events, { negatives: 'keep' });
    expect(data.matrix.get(3, 1)).toBe(-3);
    const model = new ImplicitAls({ factors: 2, iterations: 10, regularization: 0.1, alpha: 5 });
    model.fit(data);
    const scores = model.scoreAll(3, new Float32Array(2));
    expect(scores[1]).toBeLessThan(scores[0]);
  });

  it('rejects bad options, foreign artifacts and mis-sized factor blobs', () => {
    expect(() => new ImplicitAls({ factors: 0 })).toThrow('factors must be an integer ≥ 1');
    expect(() => new ImplicitAls({ regularization: 0 })).toThrow('regularization must be > 0');
    expect(() => ImplicitAls.fromArtifact({ kind: 'ease', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected an "als" artifact',
    );
    const model = new ImplicitAls(small);
    model.fit(plantedBlocks().data);
    const state = model.toArtifact();
    expect(() => ImplicitAls.fromArtifact({ ...state, params: { ...state.params, factors: 5 } })).toThrow(
      'factor blobs hold',
    );
  });
});
