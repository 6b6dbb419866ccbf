import type { Interaction } from '@encore/datasets';
import { Rng } from '@encore/linalg';
import {
  chronologicalSplit,
  kFoldSplits,
  leaveLastOutSplit,
  roundHalfEven,
  stratifiedSplit,
  trainCount,
  type TrainTestSplit,
} from '../index';

/** 40 users with 1…12 rows each, shuffled timestamps; every row is a distinct object. */
function log(seed = 5): Interaction[] {
  const rng = new Rng(seed);
  const rows: Interaction[] = [];
  for (let u = 0; u < 40; u++) {
    const n = 1 + (u % 12);
    for (let j = 0; j < n; j++)
      rows.push({ userId: `u${u}`, itemId: `i${rng.int(50)}`, timestamp: rng.int(1_000_000) });
  }
  return new Rng(seed + 1).shuffle(rows);
}

function countBy(rows: readonly Interaction[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.userId, (m.get(r.userId) ?? 0) + 1);
  return m;
}

/** Train and test partition the input: every row object exactly once, input order kept. */
function expectPartition(input: readonly Interaction[], split: TrainTestSplit): void {
  expect(split.train.length + split.test.length).toBe(input.length);
  const all = new Set([...split.train, ...split.test]);
  expect(all.size).toBe(input.length);
  for (const r of input) expect(all.has(r)).toBe(true);
  const position = new Map(input.map((r, i) => [r, i]));
  for (const part of [split.train, split.test]) {
    const positions = part.map((r) => position.get(r) ?? -1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }
}

describe('roundHalfEven / trainCount', () => {
  it('rounds halves to even, as numpy does', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 4].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 4]);
  });

  it('takes round(ratio × n) into train, clamped to keep one row on each side', () => {
    expect(trainCount(10, 0.8)).toBe(8);
    expect(trainCount(3, 0.8)).toBe(2); // 2.4 → 2
    expect(trainCount(3, 0.5)).toBe(2); // 1.5 → 2 (half to even)
    expect(trainCount(5, 0.5)).toBe(2); // 2.5 → 2 (half to even)
    expect(trainCount(2, 0.8)).toBe(1); // 1.6 → 2, clamped to n − 1
    expect(trainCount(4, 0.1)).toBe(1); // 0.4 → 0, clamped to 1
    expect(trainCount(1, 0.8)).toBe(1); // a single row stays in train
    expect(trainCount(0, 0.8)).toBe(0);
  });
});

describe('stratifiedSplit', () => {
  const input = log();

  it('partitions the rows and respects the ratio per user', () => {
    const split = stratifiedSplit(input, { ratio: 0.8, seed: 1 });
    expectPartition(input, split);
    const total = countBy(input);
    const train = countBy(split.train);
    const test = countBy(split.test);
    for (const [user, n] of total) {
      expect(train.get(user) ?? 0).toBe(trainCount(n, 0.8));
      expect(test.get(user) ?? 0).toBe(n - trainCount(n, 0.8));
      if (n >= 2) expect(test.get(user)).toBeGreaterThanOrEqual(1);
    }
  });

  it('is deterministic under the seed and differs across seeds', () => {
    const a = stratifiedSplit(input, { seed: 7 });
    expect(stratifiedSplit(input, { seed: 7 })).toEqual(a);
    expect(stratifiedSplit(input, { seed: 8 }).test).not.toEqual(a.test);
  });

  it('uses ratio 0.8 by default and rejects ratios outside (0, 1)', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ userId: 'u', itemId: `i${i}` }));
    expect(stratifiedSplit(rows).train).toHaveLength(8);
    expect(() => stratifiedSplit(rows, { ratio: 1 })).toThrow('ratio must be strictly between 0 and 1, got 1');
  });
});

describe('chronologicalSplit', () => {
  const input = log();

  it('puts each user’s later events in test', () => {
    const split = chronologicalSplit(input, { ratio: 0.75 });
    expectPartition(input, split);
    const lastTrain = new Map<string, number>();
    for (const r of split.train)
      lastTrain.set(r.userId, Math.max(lastTrain.get(r.userId) ?? -Infinity, r.timestamp ?? NaN));
    for (const r of split.test) expect(r.timestamp).toBeGreaterThanOrEqual(lastTrain.get(r.userId) ?? Infinity);
    const total = countBy(input);
    const train = countBy(split.train);
    for (const [user, n] of total) expect(train.get(user) ?? 0).toBe(trainCount(n, 0.75));
  });

  it('breaks timestamp ties by input order', () => {
    const rows = [
      { userId: 'u', itemId: 'first', timestamp: 5 },
      { userId: 'u', itemId: 'second', timestamp: 5 },
    ];
    expect(chronologicalSplit(rows, { ratio: 0.5 }).test.map((r) => r.itemId)).toEqual(['second']);
  });

  it('needs a timestamp on every row', () => {
    expect(() =>
      chronologicalSplit([
        { userId: 'u', itemId: 'a', timestamp: 1 },
        { userId: 'v', itemId: 'b' },
      ]),
    ).toThrow('interaction 1 (user v) has no timestamp; a time-based split needs one on every row');
  });
});

describe('leaveLastOutSplit', () => {
  it('holds out exactly each multi-row user’s latest event', () => {
    const input = log();
    const split = leaveLastOutSplit(input);
    expectPartition(input, split);
    const total = countBy(input);
    const test = countBy(split.test);
    for (const [user, n] of total) expect(test.get(user) ?? 0).toBe(n >= 2 ? 1 : 0);
    for (const t of split.test) {
      const latest = Math.max(...input.filter((r) => r.userId === t.userId).map((r) => r.timestamp ?? NaN));
      expect(t.timestamp).toBe(latest);
    }
  });
});

describe('kFoldSplits', () => {
  const input = log();

  it('gives k folds whose test sets partition the data, each fold’s train being the rest', () => {
    const folds = kFoldSplits(input, 5, 3);
    expect(folds).toHaveLength(5);
    const testOf = new Map<Interaction, number>();
    folds.forEach(({ test }, f) => {
      for (const r of test) {
        expect(testOf.has(r)).toBe(false);
        testOf.set(r, f);
      }
    });
    expect(testOf.size).toBe(input.length);
    for (const split of folds) expectPartition(input, split);
  });

  it('spreads each user’s rows evenly over the folds', () => {
    const folds = kFoldSplits(input, 4, 3);
    for (const [user, n] of countBy(input)) {
      const perFold = folds.map(({ test }) => test.filter((r) => r.userId === user).length);
      expect(perFold.reduce((a, b) => a + b, 0)).toBe(n);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic under the seed and validates k', () => {
    expect(kFoldSplits(input, 3, 9)).toEqual(kFoldSplits(input, 3, 9));
    expect(kFoldSplits(input, 3, 10)[0].test).not.toEqual(kFoldSplits(input, 3, 9)[0].test);
    expect(() => kFoldSplits(input, 1)).toThrow('k must be an integer ≥ 2, got 1');
  });
});
