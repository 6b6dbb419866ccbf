import {
  type ColumnLayout,
  type CsvChunk,
  type IngestOptions,
  type IngestPart,
  ingestPartTransferables,
  parseIngestChunk,
} from '@encore/catalog';
import { type AlsTask, type AlsTrainingState, runAlsTask } from '@encore/collaborative';
import type { ModelState } from '@encore/model-artifact';
import { modelFromArtifact } from '@encore/model-presets';
import { recommendUserRange, type UserLists } from '../recommend/recommend-users';

/**
 * Work that runs inside a worker thread. Input and output cross the thread boundary by structured
 * clone, so they are plain data (strings, objects, typed arrays); `transfer` lists the buffers to
 * move instead of copy.
 */
export interface WorkerTask<In, Out> {
  run(input: In): Out | Promise<Out>;
  transfer?(output: Out): ArrayBuffer[];
}

/**
 * Every task a worker can run, by name. To add one (e.g. a training fold): write the task next to
 * the code it parallelises and add a line here; `WorkerPool.run('<name>', input)` is then typed.
 */
export const workerTasks = {
  'ingest-chunk': {
    run: (input: { chunk: CsvChunk; layout: ColumnLayout; options: IngestOptions }): IngestPart =>
      parseIngestChunk(input.chunk, input.layout, input.options),
    transfer: ingestPartTransferables,
  },
  'recommend-users': {
    run: (input: { state: ModelState; from: number; to: number; k: number }): UserLists =>
      recommendUserRange(modelFromArtifact(input.state), input.from, input.to, input.k),
    transfer: (out: UserLists) => [out.items.buffer as ArrayBuffer, out.scores.buffer as ArrayBuffer],
  },
  // The state's arrays live in shared memory, so posting it shares them: the task writes its rows in place.
  'als-task': {
    run: (input: { state: AlsTrainingState; task: AlsTask }): null => {
      runAlsTask(input.state, input.task);
      return null;
    },
  },
} satisfies Record<string, WorkerTask<never, unknown>>;

export type WorkerTaskName = keyof typeof workerTasks;
export type WorkerTaskInput<K extends WorkerTaskName> = Parameters<(typeof workerTasks)[K]['run']>[0];
export type WorkerTaskOutput<K extends WorkerTaskName> = Awaited<ReturnType<(typeof workerTasks)[K]['run']>>;
