import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerTask, WorkerTasks } from './worker-task';

/** Marks a worker started by a WorkerPool, so a script that is also something else (the CLI) knows to run the loop. */
export const POOL_WORKER_MARKER = 'encore-worker-pool';

/** True on a thread a WorkerPool started: its script should call runWorkerLoop. */
export function isPoolWorker(): boolean {
  return !isMainThread && (workerData as { marker?: string } | null)?.marker === POOL_WORKER_MARKER;
}

/** The message loop of a pool worker: run the named task, reply with its output or the error message. */
export function runWorkerLoop(tasks: WorkerTasks): void {
  const port = parentPort;
  if (!port) throw new Error('runWorkerLoop must run in a worker thread');
  port.on('message', async (message: { id: number; task: string; input: unknown }) => {
    const task = (tasks as Record<string, WorkerTask<unknown, unknown> | undefined>)[message.task];
    try {
      if (!task) throw new Error(`unknown worker task ${JSON.stringify(message.task)}`);
      const output = await task.run(message.input);
      const reply: WorkerReply = { id: message.id, ok: true, output };
      port.postMessage(reply, task.transfer?.(output) ?? []);
    } catch (error) {
      const reply: WorkerReply = {
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(reply);
    }
  });
}
