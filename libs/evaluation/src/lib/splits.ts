import type { Interaction } from '@encore/datasets';
import { Rng } from '@encore/linalg';

/**
 * Per-user splits of an interaction log. Every split keeps each row exactly once (train ∪ test
 * = input, disjoint) and returns rows in their input order, so results depend only on the input
 * and the seed.
 */
export interface TrainTestSplit<T extends Interaction = Interaction> {
  train: T[];
  test: T[];
}

export interface StratifiedSplitOptions {
  /** Share of each user's interactions that goes to train, in (0, 1). Default 0.8. */
  ratio?: number;
  seed?: number;
}

export type ChronologicalSplitOptions = Pick<StratifiedSplitOptions, 'ratio'>;

/** numpy's `round` (half to even), which Recommenders applies to ratio × count. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * How many of a user's n interactions go to train: round-half-even(ratio × n) as in Microsoft
 * Recommenders' `python_stratified_split`/`python_chrono_split`, then clamped to 1…n−1 whenever
 * n ≥ 2 so every such user has at least one row on each side (Recommenders would put both rows
 * of a 2-row user in train at ratio 0.75 or 0.8). A user with a single row keeps it in train.
 */
export function trainCount(n: number, ratio: number): number {
  if (n <= 1) return n;
  return Math.min(n - 1, Math.max(1, roundHalfEven(ratio * n)));
}

function checkRatio(ratio: number): void {
  if (!(ratio > 0 && ratio < 1)) throw new Error(`ratio must be strictly between 0 and 1, got ${ratio}`);
}

/** Row indices per user, users in order of first appearance. */
export function groupByUser(interactions: readonly Interaction[]): number[][] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < interactions.length; i++) {
    const id = interactions[i].userId;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push(i);
  }
  return [...groups.values()];
}

function fromMask<T extends Interaction>(interactions: readonly T[], inTest: Uint8Array): TrainTestSplit<T> {
  const train: T[] = [];
  const test: T[] = [];
  for (let i = 0; i < interactions.length; i++) (inTest[i] ? test : train).push(interactions[i]);
  return { train, test };
}

/**
 * Random per-user split (Recommenders' `python_stratified_split` with filter_by='user'): each
 * user's rows are shuffled and the first `trainCount(n, ratio)` go to train. Users are visited in
 * order of first appearance with one seeded stream, so the result is reproducible, though not the
 * same draw numpy would make.
 */
export function stratifiedSplit<T extends Interaction>(
  interactions: readonly T[],
  options: StratifiedSplitOptions = {},
): TrainTestSplit<T> {
  const ratio = options.ratio ?? 0.8;
  checkRatio(ratio);
  const rng = new Rng(options.seed ?? 42);
  const inTest = new Uint8Array(interactions.length);
  for (const rows of groupByUser(interactions)) {
    const order = Int32Array.from(rows);
    rng.shuffle(order);
    for (let j = trainCount(rows.length, ratio); j < order.length; j++) inTest[order[j]] = 1;
  }
  return fromMask(interactions, inTest);
}

/** Per-user row indices sorted by timestamp, ties in input order; every row must have one. */
function chronological(interactions: readonly Interaction[]): number[][] {
  for (let i = 0; i < interactions.length; i++) {
    if (typeof interactions[i].timestamp !== 'number' || Number.isNaN(interactions[i].timestamp)) {
      throw new Error(
        `interaction ${i} (user ${interactions[i].userId}) has no timestamp; a time-based split needs one on every row`,
      );
    }
  }
  return groupByUser(interactions).map((rows) =>
    rows.sort((a, b) => (interactions[a].timestamp as number) - (interactions[b].timestamp as number) || a - b),
  );
}

/**
 * Per-user time split (Recommenders' `python_chrono_split`): each user's earliest
 * `trainCount(n, ratio)` rows go to train and the later ones to test.
 */
export function chronologicalSplit<T extends Interaction>(
  interactions: readonly T[],
  options: ChronologicalSplitOptions = {},
): TrainTestSplit<T> {
  const ratio = options.ratio ?? 0.8;
  checkRatio(ratio);
  const inTest = new Uint8Array(interactions.length);
  for (const rows of chronological(interactions)) {
    for (let j = trainCount(rows.length, ratio); j < rows.length; j++) inTest[rows[j]] = 1;
  }
  return fromMask(interactions, inTest);
}

/** Each user's latest row (ties: the later one in the input) is the test set; single-row users stay in train. */
export function leaveLastOutSplit<T extends Interaction>(interactions: readonly T[]): TrainTestSplit<T> {
  const inTest = new Uint8Array(interactions.length);
  for (const rows of chronological(interactions)) {
    if (rows.length >= 2) inTest[rows[rows.length - 1]] = 1;
  }
  return fromMask(interactions, inTest);
}

/**
 * k folds stratified by user: each user's rows are shuffled and dealt round-robin to the folds,
 * starting at a random fold so users with fewer than k rows do not all load fold 0. Fold f's
 * test set is the rows dealt to f; its train set is everything else. Every row is in exactly one
 * test set, and each user's test rows differ by at most one in count between folds.
 */
export function kFoldSplits<T extends Interaction>(
  interactions: readonly T[],
  k: number,
  seed = 42,
): TrainTestSplit<T>[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer ≥ 2, got ${k}`);
  const rng = new Rng(seed);
  const fold = new Int32Array(interactions.length);
  for (const rows of groupByUser(interactions)) {
    const order = Int32Array.from(rows);
    rng.shuffle(order);
    const start = rng.int(k);
    for (let j = 0; j < order.length; j++) fold[order[j]] = (start + j) % k;
  }
  const folds: TrainTestSplit<T>[] = [];
  for (let f = 0; f < k; f++) {
    const inTest = new Uint8Array(interactions.length);
    for (let i = 0; i < fold.length; i++) if (fold[i] === f) inTest[i] = 1;
    folds.push(fromMask(interactions, inTest));
  }
  return folds;
}
