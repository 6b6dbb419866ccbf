import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const WARN_INTERVAL_MS = 30_000;

/**
 * Counts in the shared store (Redis) and falls back to this process's own counters when it fails, so an outage of
 * the rate-limit backend degrades to per-replica limits instead of failing every request.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarned = 0;

  constructor(
    private readonly shared: ThrottlerStorage,
    private readonly local: ThrottlerStorage,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarned >= WARN_INTERVAL_MS) {
        this.lastWarned = now;
        this.logger.warn(`shared rate-limit counters unavailable, counting per process: ${(error as Error).message}`);
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }
}
