import { syntheticCatalog } from '@encore/simulator/testing';
import { MAX_EVENTS, SCALING_STEPS, measureScalingStep, scalingEvents } from './scaling';

describe('scalingEvents', () => {
  it('is 10 events per song, capped at 1M', () => {
    expect(scalingEvents(10_000)).toBe(100_000);
    expect(scalingEvents(89_583)).toBe(895_830);
    expect(scalingEvents(1_000_000)).toBe(MAX_EVENTS);
  });
});

describe('SCALING_STEPS', () => {
  it('covers 10K, 50K, the full catalog and 1M songs, in that order', () => {
    expect(SCALING_STEPS.map((s) => s.songs)).toEqual([10_000, 50_000, 'full', 1_000_000]);
  });
});

describe('measureScalingStep', () => {
  const source = syntheticCatalog({ songs: 400, genres: 8, seed: 2 });

  it('measures a sampled catalog: its songs, simulated events by the rule and every figure', () => {
    const row = measureScalingStep(source, {
      label: 'small',
      songs: 200,
      alsIterations: 2,
      queries: 20,
      featureRuns: 1,
    });
    expect(row).toMatchObject({ catalog: 'small', songs: 200, events: 2_000, 'ALS 64f': '2 it', queries: 20 });
    expect(row['listeners']).toBeGreaterThan(0);
    expect(row['user×song pairs']).toBeGreaterThan(0);
    expect(row['user×song pairs']).toBeLessThanOrEqual(2_000);
    for (const key of ['features ms', 'similar p50 ms', 'similar p99 ms', 'ALS ms', 'top-10 p50 ms', 'top-10 p99 ms']) {
      expect(typeof row[key]).toBe('number');
    }
    expect(row['similar p99 ms']).toBeGreaterThanOrEqual(row['similar p50 ms'] as number);
    expect(row['heap+buffers MB']).toBeGreaterThan(0);
  });

  it('takes the source as it is for the full step and synthesises songs beyond it', () => {
    const full = measureScalingStep(source, {
      label: 'full',
      songs: 'full',
      alsIterations: 1,
      queries: 5,
      featureRuns: 1,
    });
    expect(full['songs']).toBe(400);
    const grown = measureScalingStep(source, {
      label: 'x3',
      songs: 1_200,
      alsIterations: 1,
      queries: 5,
      featureRuns: 1,
    });
    expect(grown).toMatchObject({ songs: 1_200, events: 12_000 });
  });
});
