import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

describe('FixedWindowThrottlerStorage', () => {
  let now = 0;
  const storage = () => new FixedWindowThrottlerStorage(() => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits in a window and resets when the window is over', async () => {
    const s = storage();
    expect(await s.increment('user:a', 60_000, 3, 60_000, 'default')).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    now += 10_500;
    expect((await s.increment('user:a', 60_000, 3, 60_000, 'default')).totalHits).toBe(2);
    expect((await s.increment('user:a', 60_000, 3, 60_000, 'default')).timeToExpire).toBe(50);
    now += 49_500;
    expect((await s.increment('user:a', 60_000, 3, 60_000, 'default')).totalHits).toBe(1);
  });

  it('keeps keys and throttler names apart', async () => {
    const s = storage();
    await s.increment('user:a', 60_000, 3, 60_000, 'default');
    await s.increment('user:a', 60_000, 3, 60_000, 'default');
    expect((await s.increment('user:b', 60_000, 3, 60_000, 'default')).totalHits).toBe(1);
    expect((await s.increment('user:a', 60_000, 3, 60_000, 'credentials')).totalHits).toBe(1);
  });

  it('blocks past the limit for blockDuration, then blocks again while the window is still over it', async () => {
    const s = storage();
    for (let i = 0; i < 2; i++) await s.increment('ip:1', 60_000, 2, 20_000, 'default');
    const third = await s.increment('ip:1', 60_000, 2, 20_000, 'default');
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 20 });
    now += 15_000;
    expect(await s.increment('ip:1', 60_000, 2, 20_000, 'default')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 5,
    });
    now += 5_000;
    // Block over, but the minute's count (5) is still above 2: the Redis script blocks again, and so does this.
    expect(await s.increment('ip:1', 60_000, 2, 20_000, 'default')).toMatchObject({ totalHits: 5, isBlocked: true });
    now += 40_000;
    // A new window: allowed again.
    expect(await s.increment('ip:1', 60_000, 2, 20_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('forgets finished windows, so memory follows the callers of the last minute', async () => {
    const s = storage();
    for (let i = 0; i < 5_000; i++) await s.increment(`ip:${i}`, 1_000, 10, 1_000, 'default');
    now += 2_000;
    for (let i = 0; i < 5_000; i++) await s.increment(`ip:new-${i}`, 1_000, 10, 1_000, 'default');
    // Sweeps run when the map doubles; by then the first 5,000 (all over) are gone.
    const size = (s as unknown as { windows: Map<string, unknown> }).windows.size;
    expect(size).toBe(5_000);
  });
});
