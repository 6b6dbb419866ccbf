import { isMainThread } from 'node:worker_threads';
import { isPoolWorker, runWorkerLoop } from '@encore/worker-pool';
import { runCli } from './cli';
import { processIo } from './io';
import { workerTasks } from './workers/worker-tasks';

// The bundle is both the CLI and the worker-thread entry: WorkerPool starts `new Worker(__filename)`.
if (isMainThread) {
  runCli(process.argv.slice(2), processIo(__filename)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `encore: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
} else if (isPoolWorker()) {
  runWorkerLoop(workerTasks);
}
