import { buildInteractionMatrix, type InteractionEvent, type InteractionMatrix } from '@encore/features';
import { Rng } from '@encore/linalg';
import { AlsTraining, runAlsTask, type AlsTask, type AlsTrainingState } from './als-training';
import { ImplicitAls, type AlsTaskRunner, type ImplicitAlsOptions } from './implicit-als';

/** Long-tailed plays with a few negative totals: rows of every kind (exact, CG, empty). */
function randomData(seed: number, users = 60, items = 150): InteractionMatrix {
  const rng = new Rng(seed);
  const events: InteractionEvent[] = [];
  for (let u = 0; u < users; u++) {
    const plays = 1 + Math.floor(40 * rng.next() ** 2);
    for (let e = 0; e < plays; e++) {
      const item = Math.floor(items * rng.next() ** 2);
      events.push({ userId: `u${u}`, itemId: `i${item}`, weight: rng.next() < 0.05 ? -2 : 1 + rng.int(4) });
    }
  }
  return buildInteractionMatrix(events, {
    negatives: 'keep',
    users: Array.from({ length: users }, (_, u) => `u${u}`),
    items: Array.from({ length: items }, (_, i) => `i${i}`),
  });
}

/**
 * Stands in for a worker pool: splits phases into `parallelism` tasks over shared memory and runs
 * them in reverse order, after a turn of the event loop, as threads finishing in any order would.
 */
class ReversingRunner implements AlsTaskRunner {
  readonly shared = true;
  readonly seen: AlsTask[][] = [];

  constructor(readonly parallelism: number) {}

  async run(state: AlsTrainingState, tasks: readonly AlsTask[]): Promise<void> {
    this.seen.push([...tasks]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const task of [...tasks].reverse()) runAlsTask(state, task);
  }
}

const options: Partial<ImplicitAlsOptions> = { factors: 12, iterations: 4, regularization: 2, alpha: 4, seed: 5 };

describe('AlsTraining phases', () => {
  it.each([1, 2, 3, 7])('split into %d tasks, cover every row of each phase exactly once', (parts) => {
    const data = randomData(1);
    const training = new AlsTraining(data, { ...new ImplicitAls(options).options, iterations: 1 }, { parts });
    const rowsOf = (t: AlsTask): number => {
      const fixedRows = t.half === 'items' ? data.users : data.items;
      if (t.phase === 'gram') return 12;
      if (t.phase === 'solve') return t.half === 'items' ? data.items : data.users;
      return fixedRows;
    };
    // The data exercises both solvers on both sides.
    for (const side of [training.state.byUser, training.state.byItem]) {
      expect(side.exactRows).toBeGreaterThan(0);
      expect(side.exactRows).toBeLessThan(side.rows);
    }
    const phases = [...training.phases()];
    expect(phases.length).toBeGreaterThanOrEqual(6);
    for (const tasks of phases) {
      expect(tasks.length).toBeGreaterThanOrEqual(1);
      expect(tasks.length).toBeLessThanOrEqual(parts);
      expect(new Set(tasks.map((t) => `${t.phase}/${t.half}`)).size).toBe(1);
      const covered = new Uint8Array(rowsOf(tasks[0]));
      for (const t of tasks) for (let r = t.from; r < t.to; r++) covered[r]++;
      expect(Array.from(covered).every((c) => c === 1)).toBe(true);
    }
  });
});

describe('AlsTraining kernels', () => {
  it('uses the SIMD kernels for a multiple of 4 factors and JavaScript otherwise', () => {
    const data = randomData(7);
    const base = new ImplicitAls(options).options;
    expect(new AlsTraining(data, base).simd).toBe(true);
    expect(new AlsTraining(data, { ...base, factors: 10 }).simd).toBe(false);
    expect(new AlsTraining(data, base, { simd: false }).simd).toBe(false);
  });

  it('gives the same factors with either kernel set, to rounding', () => {
    const data = randomData(8);
    const base = { ...new ImplicitAls(options).options, iterations: 6 };
    const simd = new AlsTraining(data, base);
    const js = new AlsTraining(data, base, { simd: false });
    simd.runHere();
    js.runHere();
    for (const key of ['x', 'y'] as const) {
      const a = simd.state[key];
      const b = js.state[key];
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThan(1e-9);
    }
  });
});

describe('ImplicitAls.fitWith', () => {
  it.each([
    ['SIMD kernels, 2 tasks per phase', 1, 2, {}],
    ['SIMD kernels, 3 tasks per phase', 2, 3, {}],
    ['SIMD kernels, log confidence, 5 tasks per phase, 1 CG step', 3, 5, { scaling: 'log', cgSteps: 1 }],
    ['JavaScript kernels (10 factors), 3 tasks per phase', 6, 3, { factors: 10 }],
  ] as const)(
    'gives bit-for-bit the factors of fit() when phases are split and run out of order: %s',
    async (_, seed, parallelism, extra) => {
      const data = randomData(seed);
      const single = new ImplicitAls({ ...options, ...extra });
      const singleReport = single.fit(data);
      const runner = new ReversingRunner(parallelism);
      const split = new ImplicitAls({ ...options, ...extra });
      const report = await split.fitWith(data, runner);
      expect(runner.seen.some((tasks) => tasks.length === parallelism)).toBe(true);
      expect(Array.from(split.userFactors)).toEqual(Array.from(single.userFactors));
      expect(Array.from(split.itemFactors)).toEqual(Array.from(single.itemFactors));
      expect(report).toMatchObject({ users: singleReport.users, items: singleReport.items, nnz: singleReport.nnz });
      expect([singleReport.details?.['parallelism'], report.details?.['parallelism']]).toEqual([1, parallelism]);
      expect(split.recommend(0, 5)).toEqual(single.recommend(0, 5));
    },
  );

  it('records the same loss curve as fit()', async () => {
    const data = randomData(4);
    const single = new ImplicitAls({ ...options, computeLoss: true }).fit(data);
    const split = await new ImplicitAls({ ...options, computeLoss: true }).fitWith(data, new ReversingRunner(2));
    expect(split.details?.['loss']).toEqual(single.details?.['loss']);
    expect(single.details?.['loss']).toHaveLength(options.iterations as number);
  });

  it('fails, leaving the model unfitted, when a task fails', async () => {
    const model = new ImplicitAls(options);
    const failing: AlsTaskRunner = {
      parallelism: 2,
      shared: true,
      run: () => Promise.reject(new Error('worker died')),
    };
    await expect(model.fitWith(randomData(5), failing)).rejects.toThrow('worker died');
    expect(model.isFitted).toBe(false);
  });
});
