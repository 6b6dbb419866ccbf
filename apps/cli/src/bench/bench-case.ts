/** What a benchmark case gets to find its inputs. */
export interface BenchEnv {
  /** Shared datasets (`<repo>/../shared/data` unless --data-dir). */
  dataDir: string;
  /** Script for worker threads (the CLI bundle). */
  workerScript: string;
  /** Repository root (where `dist/` lives); default: found upwards from the working directory. */
  workspaceRoot?: string;
  /** Length of each HTTP load test in seconds (`bench --http-seconds`). */
  httpSeconds?: number;
  /** Length of the soak run in minutes (`bench --soak-minutes`). */
  soakMinutes?: number;
  /** Requests per second the soak run sends (`bench --soak-rate`). */
  soakRate?: number;
}

/** Thrown from `setup` when the case cannot run here (e.g. its data is absent); reported, not failed. */
export class BenchSkip extends Error {
  override readonly name = 'BenchSkip';
}

/**
 * What a repetition may return instead of a bare count: the count plus the latency of each
 * operation it timed itself (e.g. one query), for p50/p99 across all timed repetitions.
 */
export interface BenchRunOutput {
  items: number;
  latenciesMs?: readonly number[];
  /**
   * Latency percentiles the case measured itself (a load generator's histogram) instead of one value per
   * operation; the last timed repetition's are reported.
   */
  latencySummaryMs?: { p50: number; p99: number; max: number };
  /** Operations that failed: for load tests, connection errors, timeouts and non-2xx responses. */
  errors?: number;
  /** Figures that do not fit one row (per catalog size, per request kind), printed as their own tables. */
  tables?: readonly BenchTable[];
}

/** A titled table of a case's own figures; columns are the keys of the rows, in first-seen order. */
export interface BenchTable {
  title: string;
  rows: readonly Record<string, string | number>[];
  /** Lines printed under the table (the rules behind the figures). */
  notes?: readonly string[];
}

/**
 * One benchmark. `setup` runs once, untimed, and returns the state `run` uses; `run` is one timed
 * repetition and returns how many `unit`s it processed (for throughput). Keep `run` free of
 * assertions-by-printing: the runner reports median, min, max, throughput and peak memory.
 */
export interface BenchCase<State = unknown> {
  /** Stable id for --only and the JSON file, e.g. `ingest-1-thread`. */
  id: string;
  /** Display name, e.g. `ingest (1 thread)`. */
  name: string;
  /** What `run` returns a count of, e.g. `rows`. */
  unit: string;
  /** Timed repetitions (default 5). */
  repeat?: number;
  /** Untimed warm-up runs before them (default 1; 0 for cases too slow to run twice). */
  warmup?: number;
  /** Left out of the default run (minutes long); runs only when `--only` names it. */
  explicit?: boolean;
  setup(env: BenchEnv): State | Promise<State>;
  run(state: State, env: BenchEnv): number | BenchRunOutput | Promise<number | BenchRunOutput>;
  teardown?(state: State): void | Promise<void>;
}

/** Keeps `State` typed inside a case file while the registry holds `BenchCase<unknown>`. */
export function defineBenchCase<State>(c: BenchCase<State>): BenchCase<unknown> {
  return c as BenchCase<unknown>;
}
