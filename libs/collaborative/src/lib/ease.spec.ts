import { describeRecommenderContract } from '@encore/features/testing';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { overlappingTrio, plantedBlocks, plantedRecovery } from '../testing';
import { Ease } from './ease';

// u0 {i0, i1}, u1 {i1, i2}, u2 {i0, i1, i2}: XᵀX = [[2,2,1],[2,3,2],[1,2,2]]; with λ = 1,
// P = [[3,2,1],[2,4,2],[1,2,3]]⁻¹ = [[.5,−.25,0],[−.25,.5,−.25],[0,−.25,.5]], so B = −P/diag(P) off the
// diagonal: [[0,.5,0],[.5,0,.5],[0,.5,0]].

describe('Ease', () => {
  describeRecommenderContract('Ease', {
    create: () => new Ease({ regularization: 5 }),
    fromArtifact: (s) => Ease.fromArtifact(s),
  });

  it('matches the hand-computed 3-item example', () => {
    const model = new Ease({ regularization: 1 });
    model.fit(overlappingTrio());
    const expected = [0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0];
    Array.from(model.weights).forEach((w, p) => expect(w).toBeCloseTo(expected[p], 6));
    // u0 has i0 and i1: i2 scores B[i0,i2] + B[i1,i2] = 0.5, because of i1.
    expect(model.recommend(0, 5)).toEqual([{ index: 2, score: 0.5, reason: { source: 'ease', seedItem: 1 } }]);
  });

  it('has a zero diagonal and equals −P/diag(P) from an independent inverse', () => {
    const { data } = plantedBlocks({ blocks: 3, usersPerBlock: 6, itemsPerBlock: 5 });
    const lambda = 3;
    const model = new Ease({ regularization: lambda });
    model.fit(data);
    const n = data.items;
    const x = new Matrix(data.matrix.toDense().map((r) => Array.from(r, (v) => (v > 0 ? 1 : 0))));
    const p = new CholeskyDecomposition(x.transpose().mmul(x).add(Matrix.eye(n).mul(lambda))).solve(Matrix.eye(n));
    for (let i = 0; i < n; i++) {
      expect(model.weights[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++)
        if (i !== j) expect(model.weights[i * n + j]).toBeCloseTo(-p.get(i, j) / p.get(j, j), 5);
    }
  });

  it('ranks withheld in-block items above other blocks (planted structure)', () => {
    const planted = plantedBlocks();
    // Within a small dense block, a weak λ lets EASE explain items away with negative weights.
    const model = new Ease({ regularization: 10 });
    model.fit(planted.data);
    expect(plantedRecovery(planted, (u, out) => model.scoreAll(u, out))).toBe(1);
  });

  it('folds in a user from interactions alone, equal to scoring a fitted user', () => {
    const planted = plantedBlocks();
    const model = new Ease({ regularization: 2 });
    model.fit(planted.data);
    const a = model.scoreAll(3, new Float32Array(planted.data.items));
    const b = model.scoreInteractions(
      planted.data.seen(3),
      planted.data.values(3),
      new Float32Array(planted.data.items),
    );
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('lists the items an item votes for most as similar items', () => {
    const model = new Ease({ regularization: 1 });
    model.fit(overlappingTrio());
    expect(model.similarItems(0, 1)).toEqual([{ index: 1, score: 0.5, reason: { source: 'ease', seedItem: 0 } }]);
  });

  it('refuses more items than maxItems, naming the limit and the count', () => {
    expect(() => new Ease({ maxItems: 2 }).fit(overlappingTrio())).toThrow('ease: 3 items exceed maxItems = 2');
    expect(() => new Ease({ regularization: 0 })).toThrow('regularization must be > 0');
    expect(() => Ease.fromArtifact({ kind: 'als', params: {}, blobs: {}, meta: {} })).toThrow(
      'expected an "ease" artifact, got "als"',
    );
  });
});
