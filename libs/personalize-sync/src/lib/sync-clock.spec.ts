import { DEFAULT_POLL_POLICY, isThrottling, pollDelay, retryDelay, retryThrottled } from './sync-clock';
import { instantClock } from '../testing';

describe('pollDelay', () => {
  const policy = { ...DEFAULT_POLL_POLICY, initialDelayMs: 1000, maxDelayMs: 8000, multiplier: 2 };

  it('grows exponentially up to the cap, with half of each wait random', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => pollDelay(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect([0, 1, 2, 3, 4, 5].map((a) => pollDelay(a, policy, () => 0.999999))).toEqual(
      [1000, 2000, 4000, 8000, 8000, 8000].map((d) => expect.closeTo(d, 1)),
    );
  });
});

describe('retryThrottled', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };
  const throttling = (name: string, status = 400) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it('recognises throttling by name or HTTP 429, and not quota errors', () => {
    expect(isThrottling(throttling('ThrottlingException'))).toBe(true);
    expect(isThrottling(throttling('TooManyRequestsException'))).toBe(true);
    expect(isThrottling(throttling('Whatever', 429))).toBe(true);
    expect(isThrottling(throttling('LimitExceededException'))).toBe(false);
    expect(isThrottling('ThrottlingException')).toBe(false);
  });

  it('retries throttling with capped full-jitter waits, then succeeds', async () => {
    const clock = instantClock();
    let calls = 0;
    const result = await retryThrottled(
      async () => {
        if (++calls < 4) throw throttling('ThrottlingException');
        return 'ok';
      },
      policy,
      clock,
    );
    expect(result).toBe('ok');
    expect(clock.sleeps).toEqual([50, 100, 125]); // random 0.5 × min(250, 100·2^n)
    expect(retryDelay(10, policy, () => 1)).toBe(250);
  });

  it('throws other errors at once and throttling after the last attempt', async () => {
    const clock = instantClock();
    await expect(retryThrottled(() => Promise.reject(new Error('boom')), policy, clock)).rejects.toThrow('boom');
    expect(clock.sleeps).toEqual([]);
    let calls = 0;
    const alwaysThrottled = () => {
      calls++;
      return Promise.reject(throttling('ThrottlingException'));
    };
    await expect(retryThrottled(alwaysThrottled, policy, clock)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(calls).toBe(4);
  });
});
