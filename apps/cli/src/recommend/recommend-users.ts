import { availableParallelism } from 'node:os';
import type { Recommender } from '@encore/features';
import type { ModelState } from '@encore/model-artifact';
import { WorkerPool } from '@encore/worker-pool';
import type { CliWorkerTasks } from '../workers/worker-tasks';

/** Top-k lists of a range of users, packed: row u − from holds k item indices (−1 past the end of a short list). */
export interface UserLists {
  from: number;
  k: number;
  items: Int32Array;
  scores: Float32Array;
}

/** Lists for users from … to − 1 (dense indices), seen items left out. */
export function recommendUserRange(model: Recommender, from: number, to: number, k: number): UserLists {
  const items = new Int32Array((to - from) * k).fill(-1);
  const scores = new Float32Array((to - from) * k);
  for (let u = from; u < to; u++) {
    const recs = model.recommend(u, k);
    const base = (u - from) * k;
    for (let r = 0; r < recs.length; r++) {
      items[base + r] = recs[r].index;
      scores[base + r] = recs[r].score;
    }
  }
  return { from, k, items, scores };
}

export interface RecommendAllOptions {
  k: number;
  /** Threads including the calling one; worker threads restore the model from `state`. */
  threads: number;
  workerScript: string;
  /** The fitted model's artifact state (needed when threads > 1). */
  state?: () => ModelState;
  onProgress?: (done: number, total: number) => void;
}

/** Worker threads pay off once scoring outweighs copying the model to them: users × items past this. */
const PARALLEL_MIN_WORK = 20_000_000;

export function defaultRecommendThreads(users: number, items: number): number {
  return users * items >= PARALLEL_MIN_WORK ? Math.max(1, Math.min(availableParallelism(), 4)) : 1;
}

/**
 * Lists for every user. With N threads the users are cut into N ranges: N − 1 worker threads
 * restore the model from its artifact state and rank one range each while this thread ranks
 * the first; the ranges are joined in user order, so the result does not depend on N.
 */
export async function recommendAllUsers(
  model: Recommender,
  users: number,
  options: RecommendAllOptions,
): Promise<UserLists[]> {
  const { k, threads } = options;
  const chunks = Math.max(1, Math.min(threads, users));
  const bounds = Array.from({ length: chunks + 1 }, (_, c) => Math.round((c * users) / chunks));
  options.onProgress?.(0, users);
  if (chunks === 1) {
    const out: UserLists[] = [];
    // Batches keep the progress bar moving on a single thread.
    const step = Math.max(1, Math.ceil(users / 100));
    for (let from = 0; from < users; from += step) {
      out.push(recommendUserRange(model, from, Math.min(users, from + step), k));
      options.onProgress?.(Math.min(users, from + step), users);
    }
    return out;
  }
  if (!options.state) throw new Error('recommendAllUsers: threads > 1 needs the model state');
  const state = options.state();
  const pool = new WorkerPool<CliWorkerTasks>(options.workerScript, chunks - 1);
  try {
    let done = 0;
    const fromWorkers = bounds.slice(1, -1).map(async (from, c) => {
      const lists = await pool.run('recommend-users', { state, from, to: bounds[c + 2], k });
      options.onProgress?.((done += bounds[c + 2] - from), users);
      return lists;
    });
    const first = recommendUserRange(model, 0, bounds[1], k);
    options.onProgress?.((done += bounds[1]), users);
    return [first, ...(await Promise.all(fromWorkers))];
  } finally {
    await pool.close();
  }
}
