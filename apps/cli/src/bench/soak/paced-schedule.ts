/** The clock a paced run reads and waits on: real time in the benchmark, a fake one in tests. */
export interface PacingClock {
  now(): number;
  /** Resolves after `ms` (or earlier, when `wake` is called). */
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep early (a request finished and a capped run may send again). */
  wake(): void;
}

/** Real time: performance.now() and setTimeout; `wake` resolves the pending sleep. */
export function realClock(): PacingClock {
  let pending: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | null = null;
  return {
    now: () => performance.now(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            pending = null;
            resolve();
          },
          Math.max(0, ms),
        );
        pending = { timer, resolve };
      }),
    wake: () => {
      if (!pending) return;
      clearTimeout(pending.timer);
      const { resolve } = pending;
      pending = null;
      resolve();
    },
  };
}

/**
 * Open-loop pacing at a steady rate: request i is due `i · 1000 / rate` ms after the start, whatever
 * happened to the requests before it, so a slow server meets the same offered load instead of a
 * politely slower client (latency is measured from the due time, which counts the queueing too).
 */
export class PacedSchedule {
  readonly total: number;

  constructor(
    readonly ratePerSecond: number,
    readonly durationMs: number,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
      throw new RangeError(`rate must be a positive number of requests per second, got ${ratePerSecond}`);
    if (!(durationMs > 0) || !Number.isFinite(durationMs))
      throw new RangeError(`duration must be a positive number of milliseconds, got ${durationMs}`);
    this.total = Math.max(1, Math.floor((durationMs * ratePerSecond) / 1000));
  }

  /** When request i is due, in ms after the start. */
  dueAt(i: number): number {
    return (i * 1000) / this.ratePerSecond;
  }

  /** How many requests are due `elapsedMs` after the start (request 0 is due at once); at most `total`. */
  dueBy(elapsedMs: number): number {
    if (elapsedMs < 0) return 0;
    return Math.min(this.total, Math.floor((elapsedMs * this.ratePerSecond) / 1000) + 1);
  }
}

/** How long a run with every slot taken sleeps at most; a finishing request wakes it sooner. */
const CAPPED_WAIT_MS = 1_000;

export interface PacedRunOptions {
  /** Most requests outstanding at once; later ones wait (and their latency shows it). */
  maxInFlight: number;
  clock: PacingClock;
}

/**
 * Sends requests 0 … total−1 of the schedule in order, each as soon as it is due (and a slot is free);
 * `send(i, dueTime)` gets the absolute clock time the request was due. Resolves once every request has
 * finished; a rejected send is the caller's bug (count failures inside `send`), so it rejects the run.
 */
export async function runPaced(
  schedule: PacedSchedule,
  send: (i: number, dueTime: number) => Promise<void>,
  options: PacedRunOptions,
): Promise<void> {
  const { clock, maxInFlight } = options;
  if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be at least 1, got ${maxInFlight}`);
  const start = clock.now();
  const outstanding = new Set<Promise<void>>();
  let failure: unknown = null;
  let next = 0;
  while (next < schedule.total && failure === null) {
    const elapsed = clock.now() - start;
    const due = schedule.dueBy(elapsed);
    while (next < due && outstanding.size < maxInFlight) {
      const i = next++;
      const p: Promise<void> = send(i, start + schedule.dueAt(i)).then(
        () => {
          outstanding.delete(p);
          clock.wake();
        },
        (error: unknown) => {
          outstanding.delete(p);
          failure ??= error;
          clock.wake();
        },
      );
      outstanding.add(p);
    }
    if (next >= schedule.total) break;
    // Sleep until the next request is due, or (when every slot is taken) until a request finishes.
    const full = outstanding.size >= maxInFlight;
    const wait = full ? CAPPED_WAIT_MS : schedule.dueAt(next) - (clock.now() - start);
    if (full || wait > 0) await clock.sleep(wait);
  }
  await Promise.all(outstanding);
  if (failure !== null) throw failure;
}
