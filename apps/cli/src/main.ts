import { isMainThread, workerData } from 'node:worker_threads';
import { runCli } from './cli';
import { processIo } from './io';
import { runWorkerLoop } from './workers/worker-main';
import { WORKER_MARKER } from './workers/worker-pool';

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
} else if ((workerData as { marker?: string } | null)?.marker === WORKER_MARKER) {
  runWorkerLoop();
}
