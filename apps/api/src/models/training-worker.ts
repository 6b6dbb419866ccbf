import { isMainThread, parentPort } from 'node:worker_threads';
import { runTraining, type TrainingInput, type TrainingWorkerMessage } from './training-task';

/**
 * Entry point of the training worker thread: its own webpack entry (dist/apps/api/training-worker.js),
 * so a worker loads the engine and nothing of Nest. It takes one TrainingInput, reports progress,
 * answers with the published version (or the error) and exits.
 */
if (!isMainThread && parentPort) {
  const port = parentPort;
  const send = (message: TrainingWorkerMessage) => port.postMessage(message);
  port.once('message', (input: TrainingInput) => {
    runTraining(input, (progress, step) => send({ type: 'progress', progress, step }))
      .then((output) => send({ type: 'done', output }))
      .catch((error: unknown) =>
        send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
