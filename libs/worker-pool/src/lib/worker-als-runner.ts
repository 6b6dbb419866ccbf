import { type AlsTask, type AlsTaskRunner, type AlsTrainingState, runAlsTask } from '@encore/collaborative';
import type { WorkerTask } from './worker-task';

export interface AlsTaskInput {
  state: AlsTrainingState;
  task: AlsTask;
}

/**
 * The worker side of WorkerAlsRunner: add these to the tasks a pool's script runs. The state's
 * arrays live in shared memory, so posting it shares them: the task writes its rows in place.
 */
export const alsWorkerTasks = {
  'als-task': {
    run: (input: AlsTaskInput): null => {
      runAlsTask(input.state, input.task);
      return null;
    },
  } satisfies WorkerTask<AlsTaskInput, null>,
};

/** Any pool whose workers run alsWorkerTasks (a `WorkerPool<T>` with T including them). */
export interface AlsTaskPool {
  readonly size: number;
  run(task: 'als-task', input: AlsTaskInput): Promise<unknown>;
}

/**
 * Runs implicit-ALS training phases on a pool's worker threads (`model.fitWith(data, runner)`): the
 * training state lives in shared memory, so each task message carries only views of it and the
 * workers write their rows of the factors in place. The factors are bit-for-bit those of `fit`.
 * The pool stays up across fits; its owner closes it.
 */
export class WorkerAlsRunner implements AlsTaskRunner {
  readonly shared = true;

  constructor(private readonly pool: AlsTaskPool) {}

  get parallelism(): number {
    return this.pool.size;
  }

  async run(state: AlsTrainingState, tasks: readonly AlsTask[]): Promise<void> {
    await Promise.all(tasks.map((task) => this.pool.run('als-task', { state, task })));
  }
}
