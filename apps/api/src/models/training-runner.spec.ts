import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { alsWorkerScript, trainingWorkerScript, WorkerTrainingRunner, type WorkerScript } from './training-runner';
import {
  catalogColumns,
  catalogFromColumns,
  InteractionColumnsBuilder,
  interactionsFromColumns,
  type TrainingInput,
} from './training-task';

const catalog = Catalog.fromSongs([songFixture('a', { genres: ['pop'] }), songFixture('b'), songFixture('c')]);

function input(): TrainingInput {
  const builder = new InteractionColumnsBuilder(catalog);
  builder.add({ userId: 'u1', songId: 'a', event: 'like', timestamp: 1 });
  return {
    catalog: catalogColumns(catalog),
    interactions: builder.build(),
    trainedThrough: { cursor: '1' },
    eventWeights: {},
    options: {},
    strategy: 'hybrid',
    artifacts: { kind: 'local', dir: '/nowhere' },
  };
}

/** A worker given as code: `body` runs with `port` (parentPort) and `input` (the first message). */
const worker =
  (body: string): (() => WorkerScript) =>
  () => ({
    source: `const port = require('node:worker_threads').parentPort; port.once('message', (input) => { ${body} });`,
    eval: true,
  });

describe('WorkerTrainingRunner', () => {
  it('relays progress and resolves with the worker’s answer, the input having crossed the thread', async () => {
    const runner = new WorkerTrainingRunner({
      script: worker(`
        port.postMessage({ type: 'progress', progress: 0.5, step: 'half way' });
        port.postMessage({ type: 'done', output: { version: 'v-' + input.catalog.ids.join('') + input.interactions.users.length,
          metrics: { 'ndcg@10': 0.25 }, reused: false, report: {} } });`),
    });
    const steps: [number, string][] = [];
    const output = await runner.run(input(), (p, s) => steps.push([p, s]));
    expect(output).toEqual({ version: 'v-abc1', metrics: { 'ndcg@10': 0.25 }, reused: false, report: {} });
    expect(steps).toEqual([[0.5, 'half way']]);
  });

  it('tells the worker how many ALS threads to start and from which script, none by default', async () => {
    const echo = worker(
      `port.postMessage({ type: 'done', output: { version: JSON.stringify(input.alsWorkers ?? null) } })`,
    );
    const alsScript = () => ({ source: 'als pool code', eval: true });
    const version = async (runner: WorkerTrainingRunner) => (await runner.run(input(), () => undefined)).version;
    expect(JSON.parse(await version(new WorkerTrainingRunner({ script: echo, alsThreads: 3, alsScript })))).toEqual({
      threads: 3,
      script: alsScript(),
    });
    expect(await version(new WorkerTrainingRunner({ script: echo, alsScript }))).toBe('null');
    expect(await version(new WorkerTrainingRunner({ script: echo, alsThreads: 1, alsScript }))).toBe('null');
  });

  it.each([
    ['reports a failure', `port.postMessage({ type: 'failed', error: 'no interactions' })`, 'no interactions'],
    ['throws', `throw new Error('boom')`, 'training worker crashed: boom'],
    ['exits early', `process.exit(3)`, 'training worker exited with code 3 before finishing'],
  ])('rejects when the worker %s', async (_, body, message) => {
    await expect(new WorkerTrainingRunner({ script: worker(body) }).run(input(), () => undefined)).rejects.toThrow(
      message,
    );
  });

  it('stops a running worker on shutdown', async () => {
    const runner = new WorkerTrainingRunner({ script: worker(`setInterval(() => undefined, 1000)`) });
    const running = runner.run(input(), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runner.stop();
    await expect(running).rejects.toThrow(/training worker exited with code \d+ before finishing/);
  });
});

describe('trainingWorkerScript', () => {
  it('prefers the bundled worker, falls back to the TypeScript source through ts-node, else names both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'encore-worker-'));
    try {
      writeFileSync(join(dir, 'training-worker.js'), '');
      expect(trainingWorkerScript(dir)).toEqual({ source: join(dir, 'training-worker.js'), eval: false });
      const fromSource = trainingWorkerScript(__dirname);
      expect(fromSource.eval).toBe(true);
      expect(fromSource.source).toContain("('ts-node').register(");
      expect(fromSource.source).toContain(JSON.stringify(join(__dirname, 'training-worker.ts')));
      rmSync(join(dir, 'training-worker.js'));
      expect(() => trainingWorkerScript(dir)).toThrow(
        `training worker not found: neither ${join(dir, 'training-worker.js')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alsWorkerScript', () => {
  it('prefers the bundled ALS worker, else its TypeScript source through ts-node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'encore-worker-'));
    try {
      writeFileSync(join(dir, 'als-worker.js'), '');
      expect(alsWorkerScript(dir)).toEqual({ source: join(dir, 'als-worker.js'), eval: false });
      const fromSource = alsWorkerScript(__dirname);
      expect(fromSource.eval).toBe(true);
      expect(fromSource.source).toContain(JSON.stringify(join(__dirname, 'als-worker.ts')));
      rmSync(join(dir, 'als-worker.js'));
      expect(() => alsWorkerScript(dir)).toThrow(`ALS worker not found: neither ${join(dir, 'als-worker.js')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('training inputs', () => {
  it('rebuild the catalog and the interactions, leaving out (and counting) unknown songs', () => {
    const builder = new InteractionColumnsBuilder(catalog);
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      userId: `u${i % 7}`,
      songId: ['a', 'b', 'c', 'gone'][i % 4],
      event: i % 3 === 0 ? 'like' : 'play',
      timestamp: 1000 + i,
    }));
    for (const row of rows) builder.add(row);
    const columns = builder.build();
    expect(columns.unknownSongs).toBe(500);
    expect(columns.userIds).toHaveLength(7);
    expect(columns.eventNames).toEqual(['like', 'play']);
    const copy = catalogFromColumns(structuredClone(catalogColumns(catalog)));
    expect(copy.song(0)).toEqual(catalog.song(0));
    expect(interactionsFromColumns(structuredClone(columns), copy)).toEqual(rows.filter((r) => r.songId !== 'gone'));
  });
});
