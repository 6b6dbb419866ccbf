import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from './worker-pool';
import { type WorkerTask, workerTasks } from './worker-tasks';

/** The message loop of a pool worker: run the named task, reply with its output or the error message. */
export function runWorkerLoop(): void {
  const port = parentPort;
  if (!port) throw new Error('runWorkerLoop must run in a worker thread');
  port.on('message', async (message: { id: number; task: string; input: unknown }) => {
    const task = (workerTasks as Record<string, WorkerTask<unknown, unknown>>)[message.task];
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
