import {
  type ColumnLayout,
  type CsvChunk,
  type IngestOptions,
  type IngestPart,
  ingestPartTransferables,
  parseIngestChunk,
} from '@encore/catalog';
import type { ModelState } from '@encore/model-artifact';
import { modelFromArtifact } from '@encore/model-presets';
import { alsWorkerTasks, type WorkerTask } from '@encore/worker-pool';
import { recommendUserRange, type UserLists } from '../recommend/recommend-users';

/**
 * Every task a CLI worker can run, by name. To add one (e.g. a training fold): write the task next to
 * the code it parallelises and add a line here; `WorkerPool<CliWorkerTasks>.run('<name>', input)` is then typed.
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
  // ALS training phases for WorkerAlsRunner (bench, and any fitWith over this pool).
  ...alsWorkerTasks,
} satisfies Record<string, WorkerTask<never, unknown>>;

export type CliWorkerTasks = typeof workerTasks;
