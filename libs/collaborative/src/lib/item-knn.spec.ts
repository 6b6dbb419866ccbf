import { buildInteractionMatrix, type InteractionEvent, type InteractionMatrix } from '@encore/features';
import { describeRecommenderContract } from '@encore/features/testing';
import { Rng } from '@encore/linalg';
import { plantedBlocks, plantedRecovery } from '../testing';
import { ItemKnn, type ItemKnnOptions, type ItemSimilarity } from './item-knn';

/** 7 users × 6 items, values 1–5, about 60% filled, no stored zeros. */
function graded(): InteractionMatrix {
  const rng = new Rng(11);
  const events: InteractionEvent[] = [];
  for (let u = 0; u < 7; u++)
    for (let i = 0; i < 6; i++)
      if (rng.next() < 0.6) events.push({ userId: `u${u}`, itemId: `i${i}`, weight: 1 + rng.int(5) });
  return buildInteractionMatrix(events, { items: Array.from({ length: 6 }, (_, i) => `i${i}`) });
}

/** Dense brute force of the documented definitions: weighting, centring, cosine, shrinkage. */
function reference(
  data: InteractionMatrix,
  o: Pick<ItemKnnOptions, 'similarity' | 'shrinkage' | 'weighting'>,
): number[][] {
  const x = data.matrix.toDense().map((r) => Array.from(r));
  const nu = data.users;
  const ni = data.items;
  const seen = (u: number, i: number) => x[u][i] !== 0;
  const deg = x.map((r) => r.filter((v) => v !== 0).length);
  const idf = deg.map((d) => Math.max(0, Math.log(ni) - Math.log1p(d)));
  const total = Array.from({ length: ni }, (_, i) => x.reduce((s, r) => s + r[i], 0));
  const meanTotal = total.reduce((a, b) => a + b, 0) / ni;
  const w = x.map((r, u) =>
    r.map((v, i) => {
      if (!seen(u, i)) return 0;
      if (o.weighting === 'tfidf') return Math.sqrt(v) * idf[u];
      if (o.weighting === 'bm25') return ((v * 2.2) / (1.2 * (0.25 + (0.75 * total[i]) / meanTotal) + v)) * idf[u];
      return v;
    }),
  );
  if (o.similarity === 'pearson') {
    for (let i = 0; i < ni; i++) {
      const users = [...Array(nu).keys()].filter((u) => seen(u, i));
      const mean = users.reduce((s, u) => s + w[u][i], 0) / users.length;
      for (const u of users) w[u][i] -= mean;
    }
  } else if (o.similarity === 'adjusted-cosine') {
    for (let u = 0; u < nu; u++) {
      const items = [...Array(ni).keys()].filter((i) => seen(u, i));
      const mean = items.reduce((s, i) => s + w[u][i], 0) / items.length;
      for (const i of items) w[u][i] -= mean;
    }
  }
  const norm = Array.from({ length: ni }, (_, i) => Math.sqrt(w.reduce((s, r) => s + r[i] * r[i], 0)));
  return Array.from({ length: ni }, (_, i) =>
    Array.from({ length: ni }, (_, j) => {
      if (i === j || norm[i] === 0 || norm[j] === 0) return 0;
      let dot = 0;
      let n = 0;
      for (let u = 0; u < nu; u++) {
        if (seen(u, i) && seen(u, j)) {
          dot += w[u][i] * w[u][j];
          n++;
        }
      }
      return (dot / (norm[i] * norm[j])) * (n / (n + o.shrinkage));
    }),
  );
}

describe('ItemKnn', () => {
  describeRecommenderContract('ItemKnn cosine', {
    create: () => new ItemKnn({ shrinkage: 2, weighting: 'none' }),
    fromArtifact: (s) => ItemKnn.fromArtifact(s),
  });
  describeRecommenderContract('ItemKnn bm25', {
    create: () => new ItemKnn({ weighting: 'bm25', neighbours: 3 }),
    fromArtifact: (s) => ItemKnn.fromArtifact(s),
  });

  it('shrinks a hand-computed cosine: a·b / (‖a‖‖b‖) = 1/2, one co-occurrence, λ = 1 → 1/4', () => {
    const data = buildInteractionMatrix([
      { userId: 'u0', itemId: 'a' },
      { userId: 'u0', itemId: 'b' },
      { userId: 'u1', itemId: 'a' },
      { userId: 'u2', itemId: 'b' },
    ]);
    const model = new ItemKnn({ shrinkage: 1, weighting: 'none' });
    model.fit(data);
    expect(model.neighbours.get(0, 1)).toBeCloseTo(0.25, 7);
    expect(model.neighbours.get(1, 0)).toBeCloseTo(0.25, 7);
  });

  const cases: [ItemSimilarity, ItemKnnOptions['weighting'], number][] = [
    ['cosine', 'none', 0],
    ['cosine', 'none', 3],
    ['pearson', 'none', 0],
    ['pearson', 'none', 2],
    ['adjusted-cosine', 'none', 2],
    ['cosine', 'tfidf', 1],
    ['cosine', 'bm25', 1],
  ];
  it.each(cases)(
    'equals a dense brute-force reference (%s, %s weighting, λ = %d)',
    (similarity, weighting, shrinkage) => {
      const data = graded();
      const model = new ItemKnn({ similarity, weighting, shrinkage, neighbours: data.items });
      model.fit(data);
      const ref = reference(data, { similarity, weighting, shrinkage });
      let compared = 0;
      for (let i = 0; i < data.items; i++) {
        for (let j = 0; j < data.items; j++) {
          if (Math.abs(ref[i][j]) < 1e-6) continue;
          // Only positive similarities are kept as neighbours.
          expect(model.neighbours.get(i, j)).toBeCloseTo(Math.max(0, ref[i][j]), 5);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(10);
    },
  );

  it('keeps only the top-N neighbours per item', () => {
    const data = graded();
    const model = new ItemKnn({ neighbours: 2, weighting: 'none', shrinkage: 10 });
    model.fit(data);
    const ref = reference(data, { similarity: 'cosine', weighting: 'none', shrinkage: 10 });
    for (let i = 0; i < data.items; i++) {
      const best = ref[i]
        .map((s, j) => ({ s, j }))
        .filter((e) => e.s > 0)
        .sort((a, b) => b.s - a.s || a.j - b.j)
        .slice(0, 2)
        .map((e) => e.j)
        .sort((a, b) => a - b);
      expect(
        Array.from(model.neighbours.colIdx.subarray(model.neighbours.rowPtr[i], model.neighbours.rowPtr[i + 1])),
      ).toEqual(best);
    }
    expect(model.similarItems(0, 1)[0].index).toBe(ref[0].reduce((bj, s, j, r) => (s > r[bj] ? j : bj), 1));
  });

  it('scores Σ value · sim over the seen items and names the biggest contributor as the seed', () => {
    const data = graded();
    const model = new ItemKnn({ neighbours: data.items, weighting: 'none' });
    model.fit(data);
    const x = data.matrix.toDense();
    const out = new Float32Array(data.items);
    for (let u = 0; u < data.users; u++) {
      model.scoreAll(u, out);
      for (let j = 0; j < data.items; j++) {
        let s = 0;
        for (let i = 0; i < data.items; i++) s += x[u][i] * model.neighbours.get(i, j);
        expect(out[j]).toBeCloseTo(s, 4);
      }
      for (const r of model.recommend(u, 3)) {
        const contrib = Array.from(data.seen(u), (i) => x[u][i] * model.neighbours.get(i, r.index));
        if (r.reason?.seedItem !== undefined)
          expect(x[u][r.reason.seedItem] * model.neighbours.get(r.reason.seedItem, r.index)).toBe(Math.max(...contrib));
      }
    }
  });

  // Pearson/adjusted variants centre away the very co-occurrence signal of binary plays, so the
  // planted structure is a test for the cosine family only.
  it.each(['binary', 'none', 'tfidf', 'bm25'] as const)(
    'ranks withheld in-block items above other blocks (cosine, %s)',
    (weighting) => {
      const planted = plantedBlocks();
      const model = new ItemKnn({ shrinkage: 1, weighting });
      model.fit(planted.data);
      expect(plantedRecovery(planted, (u, out) => model.scoreAll(u, out))).toBe(1);
    },
  );

  it('rejects bad options and foreign artifacts', () => {
    expect(() => new ItemKnn({ neighbours: 0 })).toThrow('neighbours must be an integer ≥ 1');
    expect(() => new ItemKnn({ shrinkage: -1 })).toThrow('shrinkage must be ≥ 0');
    expect(() => ItemKnn.fromArtifact({ kind: 'ease', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected an "item-knn" artifact',
    );
    expect(() => new ItemKnn().recommend(0, 3)).toThrow('item-knn: call fit() or fromArtifact() first');
  });

  it('throws a RangeError for a user index it was not fitted on', () => {
    const model = new ItemKnn();
    model.fit(graded());
    expect(() => model.recommend(7, 3)).toThrow('item-knn: user index 7 is outside the 7 fitted users (0…6)');
  });
});
