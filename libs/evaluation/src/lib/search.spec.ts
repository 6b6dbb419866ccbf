import type { Interaction } from '@encore/datasets';
import { Rng } from '@encore/linalg';
import { buildInteractionMatrix } from '@encore/features';
import { FixedRankingRecommender } from '../testing';
import {
  crossValidate,
  gridConfigurations,
  gridSearch,
  kFoldSplits,
  randomSearch,
  sampleConfigurations,
  type MatrixBuilder,
} from '../index';

// 12 users × 6 items each out of 20.
function log(): Interaction[] {
  const rng = new Rng(11);
  const rows: Interaction[] = [];
  for (let u = 0; u < 12; u++) {
    const items = rng.shuffle(Array.from({ length: 20 }, (_, i) => `i${i}`)).slice(0, 6);
    for (const item of items) rows.push({ userId: `u${u}`, itemId: item });
  }
  return rows;
}

const allItems = Array.from({ length: 20 }, (_, i) => `i${i}`);

describe('crossValidate', () => {
  const data = log();

  it('fits a fresh model per fold on the other folds and summarises the folds', () => {
    const trains: (readonly Interaction[])[] = [];
    const buildMatrix: MatrixBuilder = (rows) => {
      trains.push(rows);
      return buildInteractionMatrix(rows);
    };
    const models: FixedRankingRecommender[] = [];
    const result = crossValidate(
      () => {
        const m = new FixedRankingRecommender({}, allItems);
        models.push(m);
        return m;
      },
      data,
      { folds: 3, k: 5, seed: 4, buildMatrix },
    );
    expect(result.k).toBe(5);
    expect(result.folds.map((f) => f.fold)).toEqual([0, 1, 2]);
    expect(models.map((m) => m.fitCount)).toEqual([1, 1, 1]);
    // The held-out parts (data minus each fold's train) add up to all the data.
    expect(trains.reduce((s, t) => s + (data.length - t.length), 0)).toBe(data.length);
    expect(trains.map((t) => t.length)).toEqual(kFoldSplits(data, 3, 4).map((s) => s.train.length));
    for (const f of result.folds) {
      expect(f.users).toBe(12);
      expect(f.fit.kind).toBe('fixed-ranking');
    }
    const ndcgs = result.folds.map((f) => f.ndcg);
    const mean = (ndcgs[0] + ndcgs[1] + ndcgs[2]) / 3;
    expect(result.mean.ndcg).toBeCloseTo(mean, 12);
    expect(result.std.ndcg).toBeCloseTo(Math.sqrt(ndcgs.reduce((s, v) => s + (v - mean) ** 2, 0) / 3), 12);
  });

  it('is deterministic under the seed, building matrices with buildInteractionMatrix by default', () => {
    const run = () =>
      crossValidate(() => new FixedRankingRecommender({}, allItems), data, {
        folds: 3,
        k: 5,
        seed: 4,
        buildMatrix: buildInteractionMatrix,
      }).mean;
    expect(run()).toEqual(run());
  });
});

describe('gridSearch', () => {
  const data = log();
  const train = data.filter((_, i) => i % 6 < 4);
  const validation = data.filter((_, i) => i % 6 >= 4);
  // A filler user who has every item keeps all validation items hittable.
  const matrix = buildInteractionMatrix([...train, ...allItems.map((itemId) => ({ userId: 'filler', itemId }))]);
  const truth: Record<string, string[]> = {};
  for (const r of validation) (truth[r.userId] ??= []).push(r.itemId);

  /** `good` ranks each user's validation items first; otherwise last. `depth` changes nothing. */
  const factory = ({ good }: { good: boolean }) => {
    const rankings: Record<string, string[]> = {};
    for (const [user, items] of Object.entries(truth)) {
      const rest = allItems.filter((i) => !items.includes(i));
      rankings[user] = good ? [...items, ...rest] : [...rest, ...items];
    }
    return new FixedRankingRecommender(rankings);
  };

  it('tries every configuration and picks the known best (first on ties)', () => {
    const result = gridSearch({ good: [false, true], depth: [1, 2, 3] }, factory, matrix, validation, { k: 2 });
    expect(result.metric).toBe('ndcg');
    expect(result.trials.map((t) => t.params)).toEqual(gridConfigurations({ good: [false, true], depth: [1, 2, 3] }));
    expect(result.trials).toHaveLength(6);
    expect(result.best.params).toEqual({ good: true, depth: 1 });
    expect(result.best.metrics.ndcg).toBe(1);
    expect(result.best.metrics.precision).toBe(1);
    for (const t of result.trials) {
      expect(t.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(t.fit.kind).toBe('fixed-ranking');
    }
  });

  it('optimises the chosen metric', () => {
    // 'rotated' gives each user a different slice of the catalogue: wide coverage, no hits.
    const byMode = ({ mode }: { mode: string }) => {
      if (mode === 'truth') return factory({ good: true });
      const rankings: Record<string, string[]> = {};
      Object.keys(truth).forEach((user, u) => {
        const rotated = [...allItems.slice(3 * u), ...allItems.slice(0, 3 * u)];
        rankings[user] = [...rotated.filter((i) => !truth[user].includes(i)), ...truth[user]];
      });
      return new FixedRankingRecommender(rankings);
    };
    const space = { mode: ['truth', 'rotated'] };
    const byCoverage = gridSearch(space, byMode, matrix, validation, { k: 5, metric: 'coverage' });
    const [truthTrial, rotatedTrial] = byCoverage.trials;
    expect(rotatedTrial.metrics.coverage).toBeGreaterThan(truthTrial.metrics.coverage);
    expect(rotatedTrial.metrics.ndcg).toBeLessThan(truthTrial.metrics.ndcg);
    expect(byCoverage.metric).toBe('coverage');
    expect(byCoverage.best.params.mode).toBe('rotated');
    expect(gridSearch(space, byMode, matrix, validation, { k: 5 }).best.params.mode).toBe('truth');
  });

  it('enumerates the grid with the last parameter fastest and rejects an empty axis', () => {
    expect(gridConfigurations({ a: [1, 2], b: ['x', 'y'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(() => gridConfigurations({ a: [] as number[] })).toThrow('grid parameter "a" has no values');
  });

  it('randomSearch samples n seeded configurations within their ranges and picks the best', () => {
    const space = {
      good: [false, true],
      depth: { min: 1, max: 5, integer: true },
      alpha: { min: 1e-3, max: 1, scale: 'log' as const },
    };
    const configs = sampleConfigurations(space, 20, 3);
    expect(sampleConfigurations(space, 20, 3)).toEqual(configs);
    expect(sampleConfigurations(space, 20, 4)).not.toEqual(configs);
    for (const c of configs) {
      expect(Number.isInteger(c.depth) && c.depth >= 1 && c.depth <= 5).toBe(true);
      expect(c.alpha).toBeGreaterThanOrEqual(1e-3);
      expect(c.alpha).toBeLessThanOrEqual(1);
    }
    expect(new Set(configs.map((c) => c.depth)).size).toBe(5);
    const result = randomSearch(space, 6, 3, factory, matrix, validation, { k: 2 });
    expect(result.trials.map((t) => t.params)).toEqual(sampleConfigurations(space, 6, 3));
    expect(result.trials.some((t) => t.params.good)).toBe(true);
    expect(result.best.params.good).toBe(true);
    expect(() => sampleConfigurations({ a: { min: 0, max: 1, scale: 'log' as const } }, 1, 1)).toThrow(
      /min must be > 0/,
    );
  });
});
