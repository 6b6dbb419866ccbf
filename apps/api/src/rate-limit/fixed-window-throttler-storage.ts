import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** Epoch ms when the window's count resets. */
  endsAt: number;
  /** Epoch ms until which the caller is blocked, or 0. */
  blockedUntil: number;
}

/**
 * In-process rate-limit counters: a fixed window per key, with the same rules as the Redis storage's script
 * (@nest-lab/throttler-storage-redis), so one deployment behaves alike with or without Redis. O(1) per request;
 * the library's in-memory storage keeps and filters a timestamp per hit in the window instead, which at a
 * generous limit (tens of thousands per minute) cost more than the rest of a cached request.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sweepAtSize = 1024;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const id = `${key}:${throttlerName}`;
    let w = this.windows.get(id);
    if (w === undefined || (w.endsAt <= now && w.blockedUntil <= now)) {
      if (this.windows.size >= this.sweepAtSize) this.sweep(now);
      w = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, w);
    }
    if (w.endsAt <= now) {
      w.hits = 0;
      w.endsAt = now + ttl;
    }
    w.hits++;
    // As the Redis script: a block runs its course; after it, a window still over the limit blocks again.
    if (w.blockedUntil <= now) w.blockedUntil = w.hits > limit ? now + blockDuration : 0;
    const isBlocked = w.blockedUntil !== 0;
    return {
      totalHits: w.hits,
      timeToExpire: Math.ceil((w.endsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((w.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Drops windows that are over and not blocking; amortised O(1) because the threshold doubles with what is left. */
  private sweep(now: number): void {
    for (const [id, w] of this.windows) if (w.endsAt <= now && w.blockedUntil <= now) this.windows.delete(id);
    this.sweepAtSize = Math.max(1024, 2 * this.windows.size);
  }
}
