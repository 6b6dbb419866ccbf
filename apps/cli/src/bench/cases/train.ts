import { Ease, ImplicitAls, ItemKnn } from '@encore/collaborative';
import type { InteractionMatrix, Recommender } from '@encore/features';
import { defaultThreads } from '../../ingest/ingest-file';
import { WorkerAlsRunner, WorkerPool } from '@encore/worker-pool';
import type { CliWorkerTasks } from '../../workers/worker-tasks';
import { type BenchEnv, defineBenchCase } from '../bench-case';
import { ALS_BENCH_OPTIONS, keepSimulatedAls, lastfm, movieLens, simulatedOnFullCatalog } from './bench-data';

/** One fit per repetition; throughput is matrix entries per second. */
function trainCase(
  id: string,
  name: string,
  data: (env: BenchEnv) => Promise<InteractionMatrix>,
  create: () => Recommender,
  repeat = 3,
) {
  return defineBenchCase({
    id,
    name,
    unit: 'entries',
    repeat,
    setup: data,
    run: (matrix: InteractionMatrix) => {
      create().fit(matrix);
      return matrix.nnz;
    },
  });
}

export const trainAlsMovieLens = trainCase(
  'train-als-ml100k',
  'train: ALS 64f×15it (ML-100K)',
  movieLens,
  () => new ImplicitAls(ALS_BENCH_OPTIONS),
);

export const trainAlsLastfm = trainCase(
  'train-als-lastfm',
  'train: ALS 64f×15it (Last.fm)',
  lastfm,
  () => new ImplicitAls(ALS_BENCH_OPTIONS),
);

/**
 * ALS with each training phase split over worker threads that share the training state's memory.
 * The pool starts in setup, as in a long-running trainer; the factors equal the one-thread fit's.
 */
function trainAlsOnWorkers(
  id: string,
  name: string,
  data: (env: BenchEnv) => Promise<InteractionMatrix>,
  options: { repeat?: number; warmup?: number; keep?: (model: ImplicitAls) => void } = {},
) {
  const threads = defaultThreads();
  return defineBenchCase({
    id,
    name: `${name} (${threads} workers)`,
    unit: 'entries',
    repeat: options.repeat ?? 3,
    warmup: options.warmup,
    setup: async (env: BenchEnv) => ({
      matrix: await data(env),
      pool: new WorkerPool<CliWorkerTasks>(env.workerScript, threads),
    }),
    run: async ({ matrix, pool }: { matrix: InteractionMatrix; pool: WorkerPool<CliWorkerTasks> }) => {
      const model = new ImplicitAls(ALS_BENCH_OPTIONS);
      await model.fitWith(matrix, new WorkerAlsRunner(pool));
      options.keep?.(model);
      return matrix.nnz;
    },
    teardown: ({ pool }) => pool.close(),
  });
}

export const trainAlsMovieLensWorkers = trainAlsOnWorkers(
  'train-als-ml100k-workers',
  'train: ALS 64f×15it (ML-100K)',
  movieLens,
);

export const trainAlsLastfmWorkers = trainAlsOnWorkers(
  'train-als-lastfm-workers',
  'train: ALS 64f×15it (Last.fm)',
  lastfm,
);

export const trainItemKnnMovieLens = trainCase(
  'train-item-knn-ml100k',
  'train: item-kNN (ML-100K)',
  movieLens,
  () => new ItemKnn(),
  5,
);

export const trainEaseMovieLens = trainCase(
  'train-ease-ml100k',
  'train: EASE λ=500 (ML-100K)',
  movieLens,
  () => new Ease({ regularization: 500 }),
);

/** The scale the API trains at: ~1M events over all ~90K songs. One fit, no warm-up (it is the slow one). */
export const trainAlsSimulated = defineBenchCase({
  id: 'train-als-sim-1m',
  name: 'train: ALS 64f×15it (1M simulated events, full catalog)',
  unit: 'entries',
  repeat: 1,
  warmup: 0,
  setup: async (env) => (await simulatedOnFullCatalog(env)).data,
  run: (matrix: InteractionMatrix) => {
    const model = new ImplicitAls(ALS_BENCH_OPTIONS);
    model.fit(matrix);
    keepSimulatedAls(model);
    return matrix.nnz;
  },
});

export const trainAlsSimulatedWorkers = trainAlsOnWorkers(
  'train-als-sim-1m-workers',
  'train: ALS 64f×15it (1M simulated events, full catalog)',
  async (env) => (await simulatedOnFullCatalog(env)).data,
  { repeat: 1, warmup: 0, keep: keepSimulatedAls },
);
