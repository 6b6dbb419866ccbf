import { Worker } from 'node:worker_threads';
import { POOL_WORKER_MARKER } from './worker-loop';
import type { WorkerReply, WorkerScript, WorkerTaskInput, WorkerTaskOutput, WorkerTasks } from './worker-task';

interface Job {
  id: number;
  task: string;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A fixed set of worker threads running `script`, which calls runWorkerLoop with the tasks `T`
 * (when isPoolWorker()). Jobs queue and go to the next idle worker in order. Workers start at
 * construction, so their start-up overlaps whatever the caller does before the first `run`;
 * `close()` must be called to let the process exit. A worker that crashes or exits fails its
 * job, and the queue once no worker is left.
 */
export class WorkerPool<T extends WorkerTasks> {
  private readonly workers: Worker[] = [];
  /** Workers that have neither crashed nor exited. */
  private readonly live = new Set<Worker>();
  private lastFailure: Error | null = null;
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private closed = false;

  constructor(
    script: string | WorkerScript,
    readonly size: number,
  ) {
    const { source, eval: isCode } = typeof script === 'string' ? { source: script, eval: false } : script;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(source, { eval: isCode, workerData: { marker: POOL_WORKER_MARKER } });
      worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(worker, new Error(`worker thread exited with code ${code}`));
      });
      this.workers.push(worker);
      this.live.add(worker);
      this.idle.push(worker);
    }
  }

  run<K extends keyof T & string>(task: K, input: WorkerTaskInput<T, K>): Promise<WorkerTaskOutput<T, K>> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    // Every worker may have died before the first job (a script that fails to load): fail, never wait.
    if (this.live.size === 0) return Promise.reject(this.lastFailure ?? new Error('worker pool has no threads'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, input, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift() as Worker;
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, task: job.task, input: job.input });
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const job = this.running.get(worker);
    if (!job || job.id !== reply.id) return;
    this.running.delete(worker);
    this.idle.push(worker);
    if (reply.ok) job.resolve(reply.output);
    else job.reject(new Error(reply.error ?? 'worker task failed'));
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    if (this.live.delete(worker)) this.lastFailure = error;
    const job = this.running.get(worker);
    this.running.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    job?.reject(error);
    // With no worker left, queued jobs would wait forever.
    if (this.idle.length === 0 && this.running.size === 0)
      for (const queued of this.queue.splice(0)) queued.reject(error);
  }
}
