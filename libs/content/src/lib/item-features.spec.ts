import { tinyCatalog } from '@encore/catalog/testing';
import { SongFeatureEncoder } from '@encore/features';
import { cloneModelState } from '@encore/features/testing';
import { attributeFeatures, ItemFeatures, songFeatures } from '../index';

const sparse = (rows: [number, number][][], vocabulary: string[]) => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.length));
  return {
    offsets,
    ids: Int32Array.from(rows.flat().map(([id]) => id)),
    values: Float32Array.from(rows.flat().map(([, v]) => v)),
    vocabulary,
  };
};

describe('ItemFeatures', () => {
  // a: dense (3, 4), tag x;  b: dense (4, 3), tags x, y (given out of order);  c: nothing.
  const input = () => ({
    ids: ['a', 'b', 'c'],
    dense: { dim: 2, values: Float32Array.from([3, 4, 4, 3, 0, 0]) },
    sparse: sparse(
      [
        [[0, 1]],
        [
          [1, 1],
          [0, 1],
        ],
        [],
      ],
      ['x', 'y'],
    ),
  });

  it('scales each block to unit length, then each row: cosine = mean of block cosines', () => {
    const f = ItemFeatures.build(input());
    // a = (0.6, 0.8 | 1, 0)/√2; b = (0.8, 0.6 | 1/√2, 1/√2)/√2.
    expect(f.dense[0]).toBeCloseTo(0.6 / Math.SQRT2, 6);
    expect(Array.from(f.ids.subarray(f.offsets[1], f.offsets[2]))).toEqual([0, 1]);
    // cos = (0.96 + 1/√2) / 2.
    expect(f.cosine(0, 1)).toBeCloseTo((0.96 + Math.SQRT1_2) / 2, 6);
    expect(f.cosine(0, 0)).toBeCloseTo(1, 6);
    expect(f.cosine(0, 2)).toBe(0);
    expect(f.hasFeatures(2)).toBe(false);
  });

  it('weights blocks: cos = (w_d·cos_d + w_s·cos_s) / (w_d + w_s)', () => {
    const base = input();
    const f = ItemFeatures.build({ ...base, dense: { ...base.dense, weight: 3 } });
    expect(f.cosine(0, 1)).toBeCloseTo((3 * 0.96 + Math.SQRT1_2) / 4, 6);
  });

  it('aligns to another id order, giving unknown ids zero rows', () => {
    const f = ItemFeatures.build(input());
    const { features, missing } = f.alignTo(['b', 'zzz', 'a']);
    expect(missing).toBe(1);
    expect(features.itemIds).toEqual(['b', 'zzz', 'a']);
    expect(features.cosine(0, 2)).toBeCloseTo(f.cosine(1, 0), 6);
    expect(features.hasFeatures(1)).toBe(false);
    expect(f.alignTo(['a', 'b', 'c']).features).toBe(f);
  });

  it('finds the most similar items with one pass, leaving out the item itself and non-positive cosines', () => {
    const f = ItemFeatures.build(input());
    expect(f.mostSimilar(0, 5).map((s) => s.index)).toEqual([1]);
    expect(f.mostSimilar(2, 5)).toEqual([]);
    expect(() => f.mostSimilar(3, 1)).toThrow('item index 3 is outside the 3 items');
  });

  it('round-trips through its state', () => {
    const f = ItemFeatures.build(input());
    const state = f.toState('x');
    const g = ItemFeatures.fromState(
      cloneModelState({ kind: 'k', params: {}, blobs: state.blobs, meta: {} }).blobs,
      state.meta,
      'x',
    );
    expect(g.cosine(0, 1)).toBe(f.cosine(0, 1));
    expect(g.vocabulary).toEqual(['x', 'y']);
    expect(() => ItemFeatures.fromState(state.blobs, { ...state.meta, denseDim: 3 }, 'x')).toThrow(
      'do not fit 3 items × 3 dense dims',
    );
  });

  it('rejects inconsistent input with a message naming the problem', () => {
    const base = input();
    expect(() => ItemFeatures.build({ ...base, dense: { dim: 3, values: base.dense.values } })).toThrow(
      'expected 3 items × 3',
    );
    expect(() => ItemFeatures.build({ ...base, sparse: sparse([[[2, 1]], [], []], ['x', 'y']) })).toThrow(
      'sparse id 2 is outside the 2-entry vocabulary',
    );
    expect(() =>
      ItemFeatures.build({
        ...base,
        sparse: sparse(
          [
            [
              [0, 1],
              [0, 2],
            ],
            [],
            [],
          ],
          ['x', 'y'],
        ),
      }),
    ).toThrow('item a lists "x" twice');
    expect(() =>
      ItemFeatures.build({ ...base, dense: { ...base.dense, values: Float32Array.from([NaN, 0, 0, 0, 0, 0]) } }),
    ).toThrow('non-finite dense value');
    expect(() => ItemFeatures.build({ ...base, dense: { ...base.dense, weight: -1 } })).toThrow(
      'dense weight must be ≥ 0',
    );
  });
});

describe('attributeFeatures', () => {
  it('weighs tags by (1 + ln count) · ln(N / df) and drops tags on fewer than minItems items', () => {
    // 3 described items; "rock" on 2 of them (idf ln 1.5), "jazz" on 1 (idf ln 3), "x" only on one item.
    const f = attributeFeatures(
      [
        { itemId: 'a', attribute: 'rock', weight: 4 },
        { itemId: 'a', attribute: 'x', weight: 1 },
        { itemId: 'b', attribute: 'rock', weight: 1 },
        { itemId: 'b', attribute: 'jazz', weight: 1 },
        { itemId: 'c', attribute: 'jazz', weight: 2 },
        { itemId: 'b', attribute: 'jazz', weight: 1 },
      ],
      { minItems: 1 },
    );
    expect(f.itemIds).toEqual(['a', 'b', 'c']);
    expect(f.vocabulary).toEqual(['rock', 'x', 'jazz']);
    // b: rock (1 + ln 1)·ln 1.5, jazz (1 + ln 2)·ln 1.5 (repeated rows add up) — both on 2 items.
    const bRock = Math.log(1.5);
    const bJazz = (1 + Math.log(2)) * Math.log(1.5);
    const b = f.values.subarray(f.offsets[1], f.offsets[2]);
    expect(b[0]).toBeCloseTo(bRock / Math.hypot(bRock, bJazz), 6);
    expect(b[1]).toBeCloseTo(bJazz / Math.hypot(bRock, bJazz), 6);
    // a: rock (1 + ln 4)·ln 1.5, x 1·ln 3; cos(a, b) = a_rock·b_rock.
    const aRock = (1 + Math.log(4)) * Math.log(1.5);
    const aX = Math.log(3);
    expect(f.cosine(0, 1)).toBeCloseTo((aRock / Math.hypot(aRock, aX)) * (bRock / Math.hypot(bRock, bJazz)), 6);

    const pruned = attributeFeatures([
      { itemId: 'a', attribute: 'rock' },
      { itemId: 'b', attribute: 'rock' },
      { itemId: 'b', attribute: 'solo' },
      { itemId: 'c', attribute: 'jazz' },
      { itemId: 'd', attribute: 'jazz' },
    ]);
    expect(pruned.vocabulary).toEqual(['rock', 'jazz']);
  });

  it('follows a fixed item universe and ignores other items', () => {
    const f = attributeFeatures(
      [
        { itemId: 'a', attribute: 't' },
        { itemId: 'z', attribute: 't' },
        { itemId: 'b', attribute: 'u' },
      ],
      { items: ['b', 'a', 'c'], minItems: 1, idf: false },
    );
    expect(f.itemIds).toEqual(['b', 'a', 'c']);
    expect(f.hasFeatures(2)).toBe(false);
    expect(f.cosine(0, 1)).toBe(0);
    expect(() => attributeFeatures([{ itemId: 'a', attribute: 't', weight: -1 }])).toThrow('must be finite and ≥ 0');
  });
});

describe('songFeatures', () => {
  it('reproduces the SongFeatureEncoder rows: every cosine equals the dot product of encoded rows', () => {
    const catalog = tinyCatalog();
    const encoder = SongFeatureEncoder.fit(catalog);
    const rows = encoder.encode(catalog);
    const f = songFeatures(catalog, encoder);
    expect(f.denseDim).toBe(12);
    expect(f.vocabulary).toContain('genre:rock');
    for (let a = 0; a < catalog.size; a++) {
      for (let b = 0; b < catalog.size; b++) {
        let dot = 0;
        for (let j = 0; j < encoder.dim; j++) dot += rows[a * encoder.dim + j] * rows[b * encoder.dim + j];
        expect(f.cosine(a, b)).toBeCloseTo(dot, 5);
      }
    }
  });
});
