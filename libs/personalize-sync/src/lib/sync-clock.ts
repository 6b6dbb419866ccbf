/** Time, waiting and randomness, injected so tests run the hours-long waits of a real sync instantly. */
export interface SyncClock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter source. */
  random(): number;
}

export const SYSTEM_CLOCK: SyncClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** How a long-running resource (import job, solution version, campaign…) is polled until ACTIVE. */
export interface PollPolicy {
  /** First wait between two Describe calls. */
  initialDelayMs: number;
  /** Longest wait between two Describe calls. */
  maxDelayMs: number;
  /** Each wait is this many times the previous one, up to maxDelayMs. */
  multiplier: number;
  /** Give up on one resource after this long (a re-run resumes where it stopped). */
  maxWaitMs: number;
}

/** Training a solution version on a large dataset can take hours; imports and campaigns take minutes. */
export const DEFAULT_POLL_POLICY: PollPolicy = {
  initialDelayMs: 5_000,
  maxDelayMs: 60_000,
  multiplier: 1.5,
  maxWaitMs: 6 * 60 * 60_000,
};

/** How a throttled call is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The control-plane APIs allow a few calls per second; the SDK's own 3 attempts are not always enough. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 };

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** True for the errors a caller should slow down and retry after (never for quota errors such as LimitExceededException). */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING_NAMES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429;
}

/**
 * The wait before poll number `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so parallel waits started together drift apart.
 */
export function pollDelay(attempt: number, policy: PollPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** attempt);
  return base / 2 + random() * (base / 2);
}

/** The wait before retry number `attempt` (0-based) of a throttled call: exponential with full jitter. */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

/** Runs `op`, retrying throttling errors with backoff; any other error, or the last throttling one, is thrown. */
export async function retryThrottled<T>(
  op: () => Promise<T>,
  policy: RetryPolicy,
  clock: SyncClock,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (!isThrottling(error) || attempt + 1 >= policy.maxAttempts) throw error;
      const delay = retryDelay(attempt, policy, clock.random);
      onRetry?.(error, attempt + 1, delay);
      await clock.sleep(delay);
    }
  }
}
