import { Rng } from '@encore/linalg';
import { invertSpdInPlace } from './spd-inverse';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const m = 5;
  const r = Float64Array.from({ length: n * m }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < m; k++) s += r[i * m + k] * r[j * m + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

const lower = (a: Float64Array, n: number, i: number, j: number) => (j <= i ? a[i * n + j] : a[j * n + i]);

describe('invertSpdInPlace', () => {
  it('inverts the 3×3 example by hand: [[3,2,1],[2,4,2],[1,2,3]]⁻¹ = [[8,−4,0],[−4,8,−4],[0,−4,8]] / 16', () => {
    const a = Float64Array.from([3, 2, 1, 2, 4, 2, 1, 2, 3]);
    invertSpdInPlace(a, 3);
    const expected = [0.5, -0.25, 0, -0.25, 0.5, -0.25, 0, -0.25, 0.5];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(lower(a, 3, i, j)).toBeCloseTo(expected[i * 3 + j], 12);
  });

  it('gives A·A⁻¹ = I for every size around the 4-row blocking', () => {
    for (let n = 1; n <= 14; n++) {
      const a = randomSpd(n, n);
      const orig = a.slice();
      invertSpdInPlace(a, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += orig[i * n + k] * lower(a, n, k, j);
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => invertSpdInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toThrow('not positive definite (pivot 1');
  });
});
