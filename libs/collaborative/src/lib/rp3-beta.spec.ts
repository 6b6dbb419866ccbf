import { buildInteractionMatrix, type InteractionEvent, type InteractionMatrix } from '@encore/features';
import { describeRecommenderContract } from '@encore/features/testing';
import { Rng } from '@encore/linalg';
import { overlappingTrio, plantedBlocks, plantedRecovery } from '../testing';
import { Rp3Beta, type Rp3BetaOptions } from './rp3-beta';

// u0 {i0, i1}, u1 {i1, i2}, u2 {i0, i1, i2}. User steps: u0 → ½ each, u1 → ½ each, u2 → ⅓ each;
// item steps: i0 → {u0, u2} ½ each, i1 → {u0, u1, u2} ⅓ each, i2 → {u1, u2} ½ each.
// With α = 1, β = 0: W[i0,i1] = ½·½ + ½·⅓ = 5/12, W[i0,i2] = ½·⅓ = 1/6, W[i1,i0] = ⅓·½ + ⅓·⅓ = 5/18,
// W[i1,i2] = 5/18, W[i2,i0] = 1/6, W[i2,i1] = 5/12. β = 1 divides column j by pop = (2, 3, 2).

/** 9 users × 7 items, ratings 1–5, about half filled, one stored zero (seen, no preference). */
function graded(): InteractionMatrix {
  const rng = new Rng(5);
  const events: InteractionEvent[] = [];
  for (let u = 0; u < 9; u++)
    for (let i = 0; i < 7; i++)
      if (rng.next() < 0.5) events.push({ userId: `u${u}`, itemId: `i${i}`, weight: 1 + rng.int(5) });
  events.push({ userId: 'u0', itemId: 'i6', event: 'skip' });
  return buildInteractionMatrix(events, {
    users: Array.from({ length: 9 }, (_, u) => `u${u}`),
    items: Array.from({ length: 7 }, (_, i) => `i${i}`),
  });
}

/** Dense brute force of the documented definition, before any top-N cut. */
function reference(data: InteractionMatrix, o: Pick<Rp3BetaOptions, 'alpha' | 'beta' | 'binarize'>): number[][] {
  const x = data.matrix.toDense().map((r) => Array.from(r, (v) => (v > 0 ? (o.binarize ? 1 : v) : 0)));
  const nu = data.users;
  const ni = data.items;
  const userSum = x.map((r) => r.reduce((a, b) => a + b, 0));
  const itemSum = Array.from({ length: ni }, (_, i) => x.reduce((s, r) => s + r[i], 0));
  const pop = Array.from({ length: ni }, (_, i) => x.filter((r) => r[i] > 0).length);
  return Array.from({ length: ni }, (_, i) =>
    Array.from({ length: ni }, (_, j) => {
      if (i === j || pop[j] === 0) return 0;
      let w = 0;
      for (let u = 0; u < nu; u++) {
        if (x[u][i] > 0 && x[u][j] > 0) w += ((x[u][i] / itemSum[i]) * (x[u][j] / userSum[u])) ** o.alpha;
      }
      return w / pop[j] ** o.beta;
    }),
  );
}

function denseNeighbours(model: Rp3Beta, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => model.neighbours.get(i, j)));
}

describe('Rp3Beta', () => {
  describeRecommenderContract('Rp3Beta binarized', {
    create: () => new Rp3Beta({ beta: 0.5, neighbours: 5 }),
    fromArtifact: (s) => Rp3Beta.fromArtifact(s),
  });
  describeRecommenderContract('Rp3Beta on values, normalised rows', {
    create: () => new Rp3Beta({ alpha: 0.7, beta: 0.2, binarize: false, normalizeRows: true }),
    fromArtifact: (s) => Rp3Beta.fromArtifact(s),
  });

  it('matches the hand-computed 3-item walk, with and without the popularity penalty', () => {
    const plain = new Rp3Beta({ beta: 0 });
    plain.fit(overlappingTrio());
    const expected = [
      [0, 5 / 12, 1 / 6],
      [5 / 18, 0, 5 / 18],
      [1 / 6, 5 / 12, 0],
    ];
    denseNeighbours(plain, 3).forEach((row, i) => row.forEach((w, j) => expect(w).toBeCloseTo(expected[i][j], 6)));
    // u0 saw i0 and i1: i2 scores W[i0,i2] + W[i1,i2] = 1/6 + 5/18 = 4/9, mostly because of i1.
    const [rec] = plain.recommend(0, 5);
    expect(rec.index).toBe(2);
    expect(rec.score).toBeCloseTo(4 / 9, 6);
    expect(rec.reason).toEqual({ source: 'rp3beta', seedItem: 1 });

    const penalised = new Rp3Beta({ beta: 1 });
    penalised.fit(overlappingTrio());
    const pop = [2, 3, 2];
    denseNeighbours(penalised, 3).forEach((row, i) =>
      row.forEach((w, j) => expect(w).toBeCloseTo(expected[i][j] / pop[j], 6)),
    );
  });

  it.each([
    { alpha: 1, beta: 0.3, binarize: true },
    { alpha: 0.5, beta: 0.6, binarize: true },
    { alpha: 1.5, beta: 0, binarize: false },
    { alpha: 0.8, beta: 0.4, binarize: false },
  ])('equals the dense brute force when every neighbour is kept (%o)', (o) => {
    const data = graded();
    const model = new Rp3Beta({ ...o, neighbours: data.items });
    model.fit(data);
    const ref = reference(data, o);
    denseNeighbours(model, data.items).forEach((row, i) => row.forEach((w, j) => expect(w).toBeCloseTo(ref[i][j], 6)));
    // Scores are Σ_{i seen} x_ui · W[i, j] with the same transform of x.
    const out = new Float32Array(data.items);
    for (let u = 0; u < data.users; u++) {
      model.scoreAll(u, out);
      const seen = data.seen(u);
      const values = data.values(u);
      for (let j = 0; j < data.items; j++) {
        let s = 0;
        for (let p = 0; p < seen.length; p++) {
          const x = values[p] > 0 ? (o.binarize ? 1 : values[p]) : 0;
          s += x * ref[seen[p]][j];
        }
        expect(out[j]).toBeCloseTo(s, 5);
      }
    }
  });

  it('keeps only the largest `neighbours` weights of each row, and normalised rows sum to 1', () => {
    const data = graded();
    const ref = reference(data, { alpha: 1, beta: 0.3, binarize: true });
    const model = new Rp3Beta({ beta: 0.3, neighbours: 2 });
    model.fit(data);
    const nb = model.neighbours;
    for (let i = 0; i < data.items; i++) {
      const kept = Array.from(nb.colIdx.subarray(nb.rowPtr[i], nb.rowPtr[i + 1]));
      const best = ref[i]
        .map((w, j) => ({ w, j }))
        .filter((e) => e.w > 0)
        .sort((a, b) => b.w - a.w || a.j - b.j)
        .slice(0, 2)
        .map((e) => e.j)
        .sort((a, b) => a - b);
      expect(kept).toEqual(best);
    }
    const normalised = new Rp3Beta({ beta: 0.3, neighbours: 2, normalizeRows: true });
    normalised.fit(data);
    const m = normalised.neighbours;
    for (let i = 0; i < data.items; i++) {
      if (m.rowLength(i) === 0) continue;
      let sum = 0;
      for (let q = m.rowPtr[i]; q < m.rowPtr[i + 1]; q++) sum += m.values[q];
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('ranks withheld in-block items above other blocks (planted structure)', () => {
    const planted = plantedBlocks();
    const model = new Rp3Beta({ beta: 0.5 });
    model.fit(planted.data);
    expect(plantedRecovery(planted, (u, out) => model.scoreAll(u, out))).toBe(1);
  });

  it('folds in a user from interactions alone, equal to scoring a fitted user', () => {
    const data = graded();
    const model = new Rp3Beta({ binarize: false });
    model.fit(data);
    const a = model.scoreAll(4, new Float32Array(data.items));
    const b = model.scoreInteractions(data.seen(4), data.values(4), new Float32Array(data.items));
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('lists an item’s strongest walks as similar items', () => {
    const model = new Rp3Beta({ beta: 0 });
    model.fit(overlappingTrio());
    const similar = model.similarItems(0, 2);
    expect(similar.map((s) => s.index)).toEqual([1, 2]);
    expect(similar[0].score).toBeCloseTo(5 / 12, 6);
    expect(similar[0].reason).toEqual({ source: 'rp3beta', seedItem: 0 });
  });

  it('rejects invalid options and foreign artifacts with clear messages', () => {
    expect(() => new Rp3Beta({ alpha: 0 })).toThrow('rp3beta: alpha must be > 0, got 0');
    expect(() => new Rp3Beta({ beta: -0.1 })).toThrow('rp3beta: beta must be ≥ 0, got -0.1');
    expect(() => new Rp3Beta({ neighbours: 2.5 })).toThrow('rp3beta: neighbours must be an integer ≥ 1, got 2.5');
    expect(() => new Rp3Beta().recommend(0, 3)).toThrow('rp3beta: call fit() or fromArtifact() first');
    expect(() => Rp3Beta.fromArtifact({ kind: 'ease', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected an "rp3beta" artifact, got "ease"',
    );
  });
});
