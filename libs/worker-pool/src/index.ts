export {
  type WorkerTask,
  type WorkerTasks,
  type WorkerTaskInput,
  type WorkerTaskOutput,
  type WorkerScript,
  type WorkerReply,
} from './lib/worker-task';
export { runWorkerLoop, isPoolWorker, POOL_WORKER_MARKER } from './lib/worker-loop';
export { WorkerPool } from './lib/worker-pool';
export { WorkerAlsRunner, alsWorkerTasks, type AlsTaskInput, type AlsTaskPool } from './lib/worker-als-runner';
