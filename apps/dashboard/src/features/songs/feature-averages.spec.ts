import { songDto } from '../../test/fake-api';
import { averageFeatures, samplePages } from './feature-averages';

describe('samplePages', () => {
  it('spreads the sample from the first page to the last', () => {
    expect(samplePages(100, 4)).toEqual([1, 34, 67, 100]);
    expect(samplePages(48, 4)).toEqual([1, 17, 32, 48]);
  });

  it('takes every page of a small catalog, and none of an empty one', () => {
    expect(samplePages(3, 4)).toEqual([1, 2, 3]);
    expect(samplePages(0, 4)).toEqual([]);
  });
});

describe('averageFeatures', () => {
  it('averages each feature over the sample', () => {
    const averages = averageFeatures([
      songDto({ id: 'a', name: 'A', features: { energy: 0.2, tempo: 100 } as never }),
      songDto({ id: 'b', name: 'B', features: { energy: 0.6, tempo: 140 } as never }),
    ]);
    expect(averages?.sampleSize).toBe(2);
    expect(averages?.energy).toBeCloseTo(0.4, 12);
    expect(averages?.tempo).toBe(120);
    expect(averages?.loudness).toBe(-8);
  });

  it('is null without songs', () => {
    expect(averageFeatures([])).toBeNull();
  });
});
