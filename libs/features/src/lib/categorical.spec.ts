import { Bucketizer, LabelEncoder, OneHotEncoder } from './categorical';

describe('OneHotEncoder', () => {
  const enc = OneHotEncoder.fit([['rock', 'metal'], 'pop', ['rock']]);

  it('sorts the vocabulary so input order does not matter', () => {
    expect(enc.categories).toEqual(['metal', 'pop', 'rock']);
    expect(OneHotEncoder.fit(['rock', ['pop', 'metal']]).categories).toEqual(enc.categories);
  });

  it('gives a multi-genre row several ones and ignores unknown genres', () => {
    expect(Array.from(enc.encode(['rock', 'metal']))).toEqual([1, 0, 1]);
    expect(Array.from(enc.encodeRows([['pop'], ['jazz', 'rock']]))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(enc.decode(Float32Array.from([1, 0, 1]))).toEqual(['metal', 'rock']);
  });

  it('maps a foreign vocabulary to its columns', () => {
    expect(Array.from(enc.columnsFor(['pop', 'jazz', 'metal']))).toEqual([1, -1, 0]);
  });

  it('round-trips through JSON and rejects duplicate categories', () => {
    expect(OneHotEncoder.fromJSON(enc.toJSON()).categories).toEqual(enc.categories);
    expect(() => new OneHotEncoder(['a', 'a'])).toThrow('"a" appears twice');
  });
});

describe('LabelEncoder', () => {
  it('codes sorted unique values and returns -1 for unseen ones', () => {
    const enc = LabelEncoder.fit(['Zed', 'Amp', 'Zed', 'Bolt']);
    expect(enc.classes).toEqual(['Amp', 'Bolt', 'Zed']);
    expect(Array.from(enc.encodeAll(['Zed', 'Amp', 'Nobody']))).toEqual([2, 0, -1]);
    expect(enc.decode(1)).toBe('Bolt');
    expect(() => enc.decode(3)).toThrow('outside 0…2');
    expect(LabelEncoder.fromJSON(enc.toJSON()).encode('Bolt')).toBe(1);
  });
});

describe('Bucketizer', () => {
  it('puts values into equal-width buckets with closed lower edges', () => {
    const b = Bucketizer.uniform(0, 100, 4);
    expect(Array.from(b.edges)).toEqual([25, 50, 75]);
    expect(Array.from(b.bucketAll([0, 24.9, 25, 74, 75, 100, 120, -3, NaN]))).toEqual([0, 0, 1, 2, 3, 3, 3, 0, -1]);
  });

  it('aligns decades for years and merges duplicate quantile edges', () => {
    expect(Array.from(Bucketizer.aligned(1987, 2015, 10).edges)).toEqual([1990, 2000, 2010]);
    expect(Array.from(Bucketizer.quantile([1, 1, 1, 1, 1, 1, 2, 3], 4).edges)).toEqual([1, 2]);
    expect(() => new Bucketizer([2, 1])).toThrow('strictly ascending');
  });
});
