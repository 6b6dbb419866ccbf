/**
 * Work that runs inside a worker thread. Input and output cross the thread boundary by structured
 * clone, so they are plain data (strings, objects, typed arrays); `transfer` lists the buffers to
 * move instead of copy.
 */
export interface WorkerTask<In, Out> {
  run(input: In): Out | Promise<Out>;
  transfer?(output: Out): ArrayBuffer[];
}

/** The tasks a worker script can run, by name (`runWorkerLoop(tasks)` in the script, `WorkerPool<typeof tasks>` outside). */
export type WorkerTasks = Record<string, WorkerTask<never, unknown>>;

export type WorkerTaskInput<T extends WorkerTasks, K extends keyof T> = Parameters<T[K]['run']>[0];
export type WorkerTaskOutput<T extends WorkerTasks, K extends keyof T> = Awaited<ReturnType<T[K]['run']>>;

/** What `new Worker` is given: a script file, or code to evaluate (e.g. a TypeScript bootstrap under ts-node). */
export interface WorkerScript {
  source: string;
  eval: boolean;
}

/** One message from a pool worker: the answer to the task with this id. */
export interface WorkerReply {
  id: number;
  ok: boolean;
  output?: unknown;
  error?: string;
}
