import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerScript } from '@encore/worker-pool';
import {
  interactionTransferables,
  runTraining,
  type TrainingInput,
  type TrainingOutput,
  type TrainingProgress,
  type TrainingWorkerMessage,
} from './training-task';

/** Runs one training job to a published version. The abstract class is the DI token; tests bind another runner. */
export abstract class TrainingRunner {
  abstract run(input: TrainingInput, progress: TrainingProgress): Promise<TrainingOutput>;

  /** Stops whatever is running (the API is shutting down); its run() rejects. */
  async stop(): Promise<void> {
    return;
  }
}

/** On the calling thread: for tests, and for tools that have no event loop to protect. */
export class InProcessTrainingRunner extends TrainingRunner {
  run(input: TrainingInput, progress: TrainingProgress): Promise<TrainingOutput> {
    return runTraining(input, progress);
  }
}

export type { WorkerScript };

/**
 * Where the training worker's code is. From the webpack build (dist/apps/api), training-worker.js,
 * the bundle's second entry, sits next to main.js. From TypeScript sources (Jest, ts-node),
 * training-worker.ts sits next to this file and is loaded through ts-node in the worker, with the
 * workspace's `@encore/*` path aliases resolved by hand (ts-node does not read `paths`).
 */
export function trainingWorkerScript(dir: string = __dirname): WorkerScript {
  return workerScript('training worker', 'training-worker', dir);
}

/** Where the ALS pool workers' code is (als-worker.js beside main.js, or als-worker.ts through ts-node), as above. */
export function alsWorkerScript(dir: string = __dirname): WorkerScript {
  return workerScript('ALS worker', 'als-worker', dir);
}

function workerScript(what: string, name: string, dir: string): WorkerScript {
  const bundled = join(dir, `${name}.js`);
  if (existsSync(bundled)) return { source: bundled, eval: false };
  const source = join(dir, `${name}.ts`);
  const root = workspaceRoot(dir);
  if (existsSync(source) && root) return { source: typeScriptBootstrap(source, root), eval: true };
  throw new Error(`${what} not found: neither ${bundled} nor ${source} (with a tsconfig.base.json above it)`);
}

function workspaceRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.base.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function typeScriptBootstrap(source: string, root: string): string {
  return `
const { join } = require('node:path');
const Module = require('node:module');
const root = ${JSON.stringify(root)};
const paths = require(join(root, 'tsconfig.base.json')).compilerOptions.paths;
const aliases = new Map(Object.entries(paths).map(([name, targets]) => [name, join(root, targets[0])]));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};
// Resolved from the workspace: an eval'd worker would otherwise resolve from the working directory.
Module.createRequire(join(root, 'package.json'))('ts-node').register({
  transpileOnly: true,
  project: join(root, 'tsconfig.base.json'),
  compilerOptions: { module: 'commonjs' },
});
require(${JSON.stringify(source)});
`;
}

export interface WorkerTrainingRunnerOptions {
  /** The training worker's code. Default: trainingWorkerScript(). */
  script?: () => WorkerScript;
  /** Threads the ALS phases run on (TRAINING_THREADS); 1: on the training worker itself. Default 1. */
  alsThreads?: number;
  /** The ALS pool workers' code, when alsThreads > 1. Default: alsWorkerScript(). */
  alsScript?: () => WorkerScript;
}

/**
 * One worker thread per job, so training (seconds of CPU) never blocks the API's event loop; with
 * alsThreads > 1 that worker runs the ALS phases on a pool of as many threads of its own (same
 * factors, bit for bit), which end with it. The job fails when the worker or a pool thread reports
 * an error, throws, runs out of memory or exits before answering; the served model is never touched
 * here either way.
 */
export class WorkerTrainingRunner extends TrainingRunner {
  private readonly workers = new Set<Worker>();
  private readonly script: () => WorkerScript;
  private readonly alsThreads: number;
  private readonly alsScript: () => WorkerScript;

  constructor(options: WorkerTrainingRunnerOptions = {}) {
    super();
    this.script = options.script ?? (() => trainingWorkerScript());
    this.alsThreads = Math.max(1, Math.floor(options.alsThreads ?? 1));
    this.alsScript = options.alsScript ?? (() => alsWorkerScript());
  }

  run(input: TrainingInput, progress: TrainingProgress): Promise<TrainingOutput> {
    return new Promise<TrainingOutput>((resolve, reject) => {
      const { source, eval: isCode } = this.script();
      const alsWorkers = this.alsThreads > 1 ? { threads: this.alsThreads, script: this.alsScript() } : undefined;
      const worker = new Worker(source, { eval: isCode });
      this.workers.add(worker);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        // A finished worker exits by itself; one that failed may not.
        void worker.terminate();
      };
      worker.on('message', (message: TrainingWorkerMessage) => {
        if (message.type === 'progress') progress(message.progress, message.step);
        else if (message.type === 'done') settle(() => resolve(message.output));
        else settle(() => reject(new Error(message.error)));
      });
      worker.on('error', (error) => settle(() => reject(new Error(`training worker crashed: ${error.message}`))));
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        settle(() => reject(new Error(`training worker exited with code ${code} before finishing`)));
      });
      // The interaction columns were built for this job: moved, not copied. The catalog's are shared, so copied.
      worker.postMessage({ ...input, alsWorkers }, interactionTransferables(input.interactions));
    });
  }

  override async stop(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}
