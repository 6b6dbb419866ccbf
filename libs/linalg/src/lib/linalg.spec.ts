import { CsrMatrix, Rng, TopK, cosine, dot, matVec, minMaxNormalize, topK } from '../index';

describe('Rng', () => {
  it('repeats a stream for the same seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
  });

  it('draws normals with mean ≈ 0 and variance ≈ 1', () => {
    const rng = new Rng(7);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it('draws weighted indices in proportion', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10000; i++) counts[rng.weighted([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
    expect(counts[2] / counts[0]).toBeLessThan(3.4);
  });
});

describe('topK', () => {
  it('equals a full sort on random data, ties to the lower index', () => {
    const rng = new Rng(3);
    const scores = Float32Array.from({ length: 1000 }, () => Math.round(rng.next() * 50));
    const expected = Array.from(scores, (score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 25);
    expect(topK(scores, 25)).toEqual(expected);
  });

  it('skips -Infinity and indices the caller excludes', () => {
    const scores = new Float32Array([5, -Infinity, 3, 9, 1]);
    expect(topK(scores, 3, (i) => i === 3).map((s) => s.index)).toEqual([0, 2, 4]);
  });

  it('returns fewer than k when there are fewer candidates', () => {
    const heap = new TopK(4);
    heap.push(0, 1);
    expect(heap.toSorted()).toEqual([{ index: 0, score: 1 }]);
    expect(topK([1, 2], 0)).toEqual([]);
  });
});

describe('vector kernels', () => {
  it('computes dot, cosine and matVec by hand-checked values', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([3, 4], [6, 8])).toBeCloseTo(1, 12);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(Array.from(matVec(new Float32Array([1, 2, 3, 4, 5, 6]), 3, [1, 0, -1]))).toEqual([-2, -2]);
  });

  it('min-max normalises finite entries and keeps exclusions', () => {
    const a = minMaxNormalize(new Float32Array([2, 4, -Infinity, 6]));
    expect(Array.from(a)).toEqual([0, 0.5, -Infinity, 1]);
  });
});

describe('CsrMatrix', () => {
  // 3×4: row 0 has (0,1)=1 twice → 2, (0,3)=5; row 1 empty; row 2 has (2,0)=4
  const m = CsrMatrix.fromTriples(3, 4, [0, 2, 0, 0], [1, 0, 3, 1], [1, 4, 5, 1]);

  it('sums duplicate coordinates and sorts columns', () => {
    expect(m.nnz).toBe(3);
    expect(Array.from(m.rowPtr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(m.colIdx)).toEqual([1, 3, 0]);
    expect(m.get(0, 1)).toBe(2);
    expect(m.get(1, 2)).toBe(0);
  });

  it('transposes to the dense transpose', () => {
    const t = m.transpose().toDense().map((r) => Array.from(r));
    expect(t).toEqual([
      [0, 0, 4],
      [2, 0, 0],
      [0, 0, 0],
      [5, 0, 0],
    ]);
  });

  it('rejects out-of-range entries', () => {
    expect(() => CsrMatrix.fromTriples(1, 1, [0], [1], [1])).toThrow(/outside 1×1/);
  });
});

describe('matVec', () => {
  it('matches a plain dot product for every width, including the unrolled tail', () => {
    const rng = new Rng(11);
    for (const dim of [1, 3, 4, 5, 8, 13, 64]) {
      const rows = Float32Array.from({ length: dim * 7 }, () => rng.normal());
      const q = Float32Array.from({ length: dim }, () => rng.normal());
      const out = matVec(rows, dim, q);
      for (let r = 0; r < 7; r++) expect(out[r]).toBeCloseTo(dot(rows, q, dim, r * dim, 0), 4);
    }
  });
});
