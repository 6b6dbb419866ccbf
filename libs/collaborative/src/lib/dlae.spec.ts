import { describeRecommenderContract } from '@encore/features/testing';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { overlappingTrio, plantedBlocks, plantedRecovery } from '../testing';
import { Dlae } from './dlae';
import { Ease } from './ease';

// u0 {i0, i1}, u1 {i1, i2}, u2 {i0, i1, i2}: G = XᵀX = [[2,2,1],[2,3,2],[1,2,2]]. With λ = 1 and p = 0.5
// (odds 1), Λ = diag(1 + 2, 1 + 3, 1 + 2) = diag(3, 4, 3), G + Λ = [[5,2,1],[2,7,2],[1,2,5]] (det 136), so
// P = [[31,−8,−3],[−8,24,−8],[−3,−8,31]] / 136 and B = I − P·Λ = [[43,32,9],[24,40,24],[9,32,43]] / 136.
// With the zero diagonal instead, B[i, j] = −P[i, j] / P[j, j] = [[0, 8/24, 3/31],[8/31, 0, 8/31],[3/31, 8/24, 0]].
const TRIO_DLAE = [43, 32, 9, 24, 40, 24, 9, 32, 43].map((v) => v / 136);
const TRIO_EDLAE = [0, 1 / 3, 3 / 31, 8 / 31, 0, 8 / 31, 3 / 31, 1 / 3, 0];

/** (XᵀWX + Λ)⁻¹ by ml-matrix, W = diag(|I_u|^−γ), Λ = λI + p/(1 − p)·diag(G): the reference for B. */
function referenceInverse(dense: ArrayLike<number>[], lambda: number, p: number, gamma: number) {
  // Rows scaled by √w, so G = XᵀWX comes out exactly symmetric.
  const x = new Matrix(
    dense.map((r) => {
      const root = Math.pow(Array.from(r).filter((v) => v > 0).length, -gamma / 2);
      return Array.from(r, (v) => (v > 0 ? root : 0));
    }),
  );
  const g = x.transpose().mmul(x);
  const penalty = g.diag().map((d) => lambda + (p / (1 - p)) * d);
  const inverse = new CholeskyDecomposition(g.add(Matrix.diag(penalty))).solve(Matrix.eye(g.rows));
  return { inverse, penalty };
}

describe('Dlae', () => {
  describeRecommenderContract('Dlae', {
    create: () => new Dlae({ regularization: 5 }),
    fromArtifact: (s) => Dlae.fromArtifact(s),
  });

  describeRecommenderContract('Dlae with a zero diagonal', {
    create: () => new Dlae({ regularization: 5, zeroDiagonal: true }),
    fromArtifact: (s) => Dlae.fromArtifact(s),
  });

  it('matches the hand-computed 3-item example, with and without the zero diagonal', () => {
    const dlae = new Dlae({ regularization: 1, dropout: 0.5, userWeightExponent: 0 });
    dlae.fit(overlappingTrio());
    Array.from(dlae.weights).forEach((w, p) => expect(w).toBeCloseTo(TRIO_DLAE[p], 6));
    // u0 has i0 and i1: i2 scores B[i0,i2] + B[i1,i2] = (9 + 24)/136, mostly because of i1.
    const [top] = dlae.recommend(0, 5);
    expect(top.index).toBe(2);
    expect(top.score).toBeCloseTo(33 / 136, 6);
    expect(top.reason).toEqual({ source: 'dlae', seedItem: 1 });

    const edlae = new Dlae({ regularization: 1, dropout: 0.5, userWeightExponent: 0, zeroDiagonal: true });
    edlae.fit(overlappingTrio());
    Array.from(edlae.weights).forEach((w, p) => expect(w).toBeCloseTo(TRIO_EDLAE[p], 6));
  });

  it('equals I − P·Λ from an independent inverse, user weights and dropout included', () => {
    const { data } = plantedBlocks({ blocks: 3, usersPerBlock: 6, itemsPerBlock: 5 });
    const [lambda, p, gamma] = [3, 0.3, 0.5];
    const model = new Dlae({ regularization: lambda, dropout: p, userWeightExponent: gamma });
    model.fit(data);
    const n = data.items;
    const { inverse, penalty } = referenceInverse(data.matrix.toDense(), lambda, p, gamma);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        expect(model.weights[i * n + j]).toBeCloseTo((i === j ? 1 : 0) - inverse.get(i, j) * penalty[j], 5);
  });

  it('is EASE when the diagonal is zero and there is neither dropout nor user weighting', () => {
    const { data } = plantedBlocks({ blocks: 3, usersPerBlock: 6, itemsPerBlock: 5 });
    const dlae = new Dlae({ regularization: 4, dropout: 0, userWeightExponent: 0, zeroDiagonal: true });
    const ease = new Ease({ regularization: 4 });
    dlae.fit(data);
    ease.fit(data);
    Array.from(dlae.weights).forEach((w, p) => expect(w).toBeCloseTo(ease.weights[p], 6));
  });

  it('does not collapse to the identity: dropout pulls the self-weights down, the most for popular items', () => {
    // A tiny λ alone lets B ≈ I (each item predicts itself). With p = 0.5, Λ ≈ diag(G) = diag(2, 3, 2):
    // G + Λ = [[4,2,1],[2,6,2],[1,2,4]] (det 66), P's diagonal is (20, 15, 20)/66, so B's is 1 − P·Λ =
    // (26, 21, 26)/66, lowest for i1, the item every user has.
    const ridge = new Dlae({ regularization: 0.001, dropout: 0, userWeightExponent: 0 });
    ridge.fit(overlappingTrio());
    for (const d of [0, 4, 8]) expect(ridge.weights[d]).toBeGreaterThan(0.99);
    const dlae = new Dlae({ regularization: 0.001, dropout: 0.5, userWeightExponent: 0 });
    dlae.fit(overlappingTrio());
    [26 / 66, 21 / 66, 26 / 66].forEach((v, i) => expect(dlae.weights[i * 4]).toBeCloseTo(v, 3));
  });

  it('ranks withheld in-block items above other blocks (planted structure)', () => {
    const planted = plantedBlocks();
    const model = new Dlae({ regularization: 10 });
    model.fit(planted.data);
    expect(plantedRecovery(planted, (u, out) => model.scoreAll(u, out))).toBe(1);
  });

  it('folds in a user from interactions alone, equal to scoring a fitted user', () => {
    const planted = plantedBlocks();
    const model = new Dlae({ regularization: 2 });
    model.fit(planted.data);
    const a = model.scoreAll(3, new Float32Array(planted.data.items));
    const b = model.scoreInteractions(
      planted.data.seen(3),
      planted.data.values(3),
      new Float32Array(planted.data.items),
    );
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('lists the items an item votes for most as similar items, never itself', () => {
    const model = new Dlae({ regularization: 1, dropout: 0.5, userWeightExponent: 0 });
    model.fit(overlappingTrio());
    // Row i1 is [24, 40, 24] / 136: its own 40 is left out; the tie between i0 and i2 goes to the lower index.
    expect(model.similarItems(1, 1)).toEqual([
      { index: 0, score: expect.closeTo(24 / 136, 6), reason: { source: 'dlae', seedItem: 1 } },
    ]);
  });

  it('validates its options and artifacts, naming the limit and the count', () => {
    expect(() => new Dlae({ maxItems: 2 }).fit(overlappingTrio())).toThrow('dlae: 3 items exceed maxItems = 2');
    expect(() => new Dlae({ regularization: 0 })).toThrow('regularization must be > 0');
    expect(() => new Dlae({ dropout: 1 })).toThrow('dropout must be in [0, 1), got 1');
    expect(() => new Dlae({ dropout: -0.1 })).toThrow('dropout must be in [0, 1)');
    expect(() => new Dlae({ userWeightExponent: NaN })).toThrow('userWeightExponent must be a finite number');
    expect(() => Dlae.fromArtifact({ kind: 'ease', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected a "dlae" artifact, got "ease"',
    );
  });
});
