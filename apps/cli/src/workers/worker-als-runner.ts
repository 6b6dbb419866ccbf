import type { AlsTask, AlsTaskRunner, AlsTrainingState } from '@encore/collaborative';
import type { WorkerPool } from './worker-pool';

/**
 * Runs implicit-ALS training phases on a pool's worker threads (`model.fitWith(data, runner)`): the
 * training state lives in shared memory, so each task message carries only views of it and the
 * workers write their rows of the factors in place. The pool stays up across fits.
 */
export class WorkerAlsRunner implements AlsTaskRunner {
  readonly shared = true;

  constructor(private readonly pool: WorkerPool) {}

  get parallelism(): number {
    return this.pool.size;
  }

  async run(state: AlsTrainingState, tasks: readonly AlsTask[]): Promise<void> {
    await Promise.all(tasks.map((task) => this.pool.run('als-task', { state, task })));
  }
}
