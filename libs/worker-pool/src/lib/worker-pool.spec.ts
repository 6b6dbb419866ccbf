import { WorkerPool } from './worker-pool';
import { POOL_WORKER_MARKER } from './worker-loop';
import type { WorkerTask } from './worker-task';

/**
 * Pool workers given as code that speaks runWorkerLoop's protocol by hand (Jest runs TypeScript,
 * an eval'd worker cannot import it): `handle(task, input)` returns the output or throws.
 */
function loop(handle: string) {
  return {
    source: `
      const { parentPort, workerData } = require('node:worker_threads');
      const handle = ${handle};
      parentPort.on('message', async ({ id, task, input }) => {
        try { parentPort.postMessage({ id, ok: true, output: await handle(task, input, workerData) }); }
        catch (e) { parentPort.postMessage({ id, ok: false, error: e.message }); }
      });`,
    eval: true,
  };
}

type Tasks = {
  double: WorkerTask<number, number>;
  marker: WorkerTask<null, string>;
  fail: WorkerTask<string, never>;
  exit: WorkerTask<number, never>;
};

const TASKS = loop(`(task, input, data) => {
  if (task === 'double') return new Promise((resolve) => setTimeout(() => resolve(input * 2), (input % 3) * 5));
  if (task === 'marker') return data.marker;
  if (task === 'fail') throw new Error(input);
  if (task === 'exit') process.exit(input);
}`);

describe('WorkerPool', () => {
  let pools: WorkerPool<Tasks>[] = [];
  const pool = (script = TASKS, size = 2) => {
    const p = new WorkerPool<Tasks>(script, size);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.close()));
    pools = [];
  });

  it('runs queued jobs on its threads and answers each caller with its own output', async () => {
    const p = pool();
    const inputs = Array.from({ length: 20 }, (_, i) => i);
    expect(await Promise.all(inputs.map((i) => p.run('double', i)))).toEqual(inputs.map((i) => i * 2));
    // runWorkerLoop's scripts tell pool threads apart from other threads by this marker (isPoolWorker).
    expect(await p.run('marker', null)).toBe(POOL_WORKER_MARKER);
  });

  it('rejects a job with the error its task threw, and keeps the thread for the next job', async () => {
    const p = pool(TASKS, 1);
    await expect(p.run('fail', 'bad input')).rejects.toThrow('bad input');
    expect(await p.run('double', 4)).toBe(8);
  });

  it('fails the job of a thread that exits, and runs the rest on the threads left', async () => {
    const p = pool();
    await expect(p.run('exit', 5)).rejects.toThrow('worker thread exited with code 5');
    expect(await Promise.all([p.run('double', 1), p.run('double', 2)])).toEqual([2, 4]);
  });

  it('fails queued jobs once no thread is left, and later jobs at once', async () => {
    const p = pool(TASKS, 1);
    const dying = p.run('exit', 3);
    const queued = p.run('double', 1);
    await expect(dying).rejects.toThrow('worker thread exited with code 3');
    await expect(queued).rejects.toThrow('worker thread exited with code 3');
    await expect(p.run('double', 2)).rejects.toThrow('worker thread exited with code 3');
  });

  it('fails instead of waiting when every thread died before the first job', async () => {
    const p = pool({ source: `process.exit(9)`, eval: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(p.run('double', 1)).rejects.toThrow('worker thread exited with code 9');
  });

  it('rejects queued and later jobs once closed', async () => {
    const p = pool(loop(`() => new Promise(() => undefined)`), 1);
    const running = p.run('double', 1);
    const queued = expect(p.run('double', 2)).rejects.toThrow('worker pool closed');
    await p.close();
    await queued;
    await expect(p.run('double', 3)).rejects.toThrow('worker pool is closed');
    void running.catch(() => undefined);
  });
});
