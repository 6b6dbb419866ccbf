import { InnerProductIndex } from './inner-product-index';
import { Rng } from './rng';
import { topK } from './top-k';
import { matVec } from './vector';

/** The brute force the index must reproduce: score every row, mask skipped ones, heap-select. */
function bruteForce(rows: Float32Array, dim: number, q: Float32Array, k: number, skip?: Uint8Array) {
  const scores = matVec(rows, dim, q);
  if (skip) for (let r = 0; r < skip.length; r++) if (skip[r]) scores[r] = -Infinity;
  return topK(scores, k);
}

/** Rows with long-tailed norms like fitted ALS item factors: a few large, most tiny, some exactly zero. */
function factorLike(rng: Rng, n: number, dim: number): Float32Array {
  const rows = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const scale = r % 7 === 0 ? 0 : Math.exp(-4 * rng.next());
    for (let j = 0; j < dim; j++) rows[r * dim + j] = rng.normal() * scale;
  }
  return rows;
}

describe('InnerProductIndex', () => {
  it.each([
    ['64-wide rows', 64],
    ['widths that leave a tail after the four-way unrolling', 7],
    ['single-column rows', 1],
  ])('returns exactly the brute-force top k on random data: %s', (_, dim) => {
    const rng = new Rng(dim);
    const n = 2000;
    const rows = factorLike(rng, n, dim);
    const index = new InnerProductIndex(rows, dim);
    for (let trial = 0; trial < 24; trial++) {
      const q = Float32Array.from({ length: dim }, () => rng.normal());
      const k = [1, 10, 50, 200][trial % 4];
      const skip = new Uint8Array(n);
      for (let s = 0; s < 100; s++) skip[rng.int(n)] = 1;
      expect(index.search(q, k, skip)).toEqual(bruteForce(rows, dim, q, k, skip));
      expect(index.search(q, k)).toEqual(bruteForce(rows, dim, q, k));
    }
  });

  it('prunes: with long-tailed norms it scores a small share of the rows', () => {
    const rng = new Rng(5);
    const dim = 16;
    const n = 5000;
    const rows = new Float32Array(n * dim);
    // Norms fall off like item popularity: row r has norm ≈ 1/(r+1).
    for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) rows[r * dim + j] = (rng.normal() / (r + 1)) * 0.25;
    const index = new InnerProductIndex(rows, dim);
    const q = Float32Array.from({ length: dim }, () => rng.normal());
    const top = index.search(q, 10);
    expect(top).toEqual(bruteForce(rows, dim, q, 10));
    expect(index.scanned).toBeLessThan(n / 10);
  });

  it('keeps ties in index order and equal scores across the norm cut-off', () => {
    // Rows 0…5 are the same vector: equal scores and equal norms; the lower indices must win.
    const dim = 4;
    const rows = new Float32Array([
      ...[1, 2, 3, 4],
      ...[1, 2, 3, 4],
      ...[0.5, 0.5, 0.5, 0.5],
      ...[1, 2, 3, 4],
      ...[1, 2, 3, 4],
      ...[0, 0, 0, 0],
      ...[1, 2, 3, 4],
    ]);
    const index = new InnerProductIndex(rows, dim);
    const q = new Float32Array([1, 1, 1, 1]);
    expect(index.search(q, 3).map((s) => s.index)).toEqual([0, 1, 3]);
    expect(index.search(q, 3, Uint8Array.from([1, 0, 0, 0, 0, 0, 0])).map((s) => s.index)).toEqual([1, 3, 4]);
    expect(index.search(q, 7)).toEqual(bruteForce(rows, dim, q, 7));
  });

  it('scores everything when the k-th score is not positive (the bound cannot rule a row out)', () => {
    const dim = 2;
    const rows = new Float32Array([1, 0, 2, 0, 3, 0, 0, 0]);
    const index = new InnerProductIndex(rows, dim);
    const q = new Float32Array([-1, 0]);
    expect(index.search(q, 2)).toEqual(bruteForce(rows, dim, q, 2));
    expect(index.scanned).toBe(4);
  });

  it('drops NaN scores like topK does, and returns nothing for k ≤ 0', () => {
    const rows = new Float32Array([1, 1, NaN, 0, 2, 2]);
    const index = new InnerProductIndex(rows, 2);
    const q = new Float32Array([1, 1]);
    expect(index.search(q, 3)).toEqual(bruteForce(rows, 2, q, 3));
    expect(index.search(q, 3).map((s) => s.index)).toEqual([2, 0]);
    expect(index.search(q, 0)).toEqual([]);
  });

  it('rejects a matrix that is not whole rows', () => {
    expect(() => new InnerProductIndex(new Float32Array(7), 2)).toThrow('do not form rows of 2');
    expect(() => new InnerProductIndex(new Float32Array(4), 0)).toThrow(RangeError);
  });
});
