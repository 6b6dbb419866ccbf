import { alsWorkerTasks, isPoolWorker, runWorkerLoop } from '@encore/worker-pool';

/**
 * Entry point of the ALS pool threads a training worker starts when TRAINING_THREADS > 1: its own
 * webpack entry (dist/apps/api/als-worker.js), so each thread loads the ALS kernels and nothing else.
 */
if (isPoolWorker()) runWorkerLoop(alsWorkerTasks);
