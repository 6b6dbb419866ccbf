import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImplicitAls } from '@encore/collaborative';
import { buildInteractionMatrix, type InteractionEvent } from '@encore/features';
import { Rng } from '@encore/linalg';
import { WorkerAlsRunner, WorkerPool } from '@encore/worker-pool';
import type { CliWorkerTasks } from './worker-tasks';

// Real worker threads need a script that runs the worker loop: the CLI bundle (built before this
// project's tests, see project.json), which carries the 'als-task' task.
const BUNDLE = join(resolve(__dirname, '../../../..'), 'dist/apps/cli/main.js');

function longTailedPlays(users: number, items: number) {
  const rng = new Rng(8);
  const events: InteractionEvent[] = [];
  for (let u = 0; u < users; u++) {
    for (let e = 0, n = 2 + rng.int(60); e < n; e++) {
      events.push({ userId: `u${u}`, itemId: `i${Math.floor(items * rng.next() ** 2)}`, weight: 1 + rng.int(3) });
    }
  }
  return buildInteractionMatrix(events, {
    users: Array.from({ length: users }, (_, u) => `u${u}`),
    items: Array.from({ length: items }, (_, i) => `i${i}`),
  });
}

async function fitOnWorkers(
  model: ImplicitAls,
  data: ReturnType<typeof longTailedPlays>,
  threads: number,
  script: string,
) {
  const pool = new WorkerPool<CliWorkerTasks>(script, threads);
  try {
    return await model.fitWith(data, new WorkerAlsRunner(pool));
  } finally {
    await pool.close();
  }
}

describe('WorkerAlsRunner', () => {
  beforeAll(() => {
    if (!existsSync(BUNDLE))
      throw new Error(`${BUNDLE} is missing: run "npx nx build cli" (nx test cli does it first)`);
  });

  it.each([
    ['SIMD kernels, shared WebAssembly memory', 16],
    ['JavaScript kernels, SharedArrayBuffer', 6],
  ])(
    'fits on worker threads to exactly the one-thread factors: %s',
    async (_, factors) => {
      const data = longTailedPlays(150, 400);
      const options = { factors, iterations: 5, regularization: 3, alpha: 4 };
      const single = new ImplicitAls(options);
      single.fit(data);
      const threaded = new ImplicitAls(options);
      const report = await fitOnWorkers(threaded, data, 3, BUNDLE);
      expect(report).toMatchObject({ kind: 'als', users: 150, items: 400, nnz: data.nnz });
      expect(Array.from(threaded.itemFactors)).toEqual(Array.from(single.itemFactors));
      expect(Array.from(threaded.userFactors)).toEqual(Array.from(single.userFactors));
    },
    30_000,
  );

  it('fails instead of hanging when the worker script cannot run the task', async () => {
    const model = new ImplicitAls({ factors: 4, iterations: 1 });
    await expect(fitOnWorkers(model, longTailedPlays(10, 20), 2, '/nonexistent/worker.js')).rejects.toThrow();
    expect(model.isFitted).toBe(false);
  }, 30_000);
});
