import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { normalizeIp, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { RedisResponseCache, ResponseCache } from '@encore/response-cache';
import type { ExecutionContext } from '@nestjs/common';
import { CREDENTIALS_ROUTE } from '../auth/access.decorators';
import type { Environment } from '../config/environment';
import { FailOpenThrottlerStorage } from './fail-open-throttler-storage';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

const MINUTE_MS = 60_000;
/** Register/token get a twentieth of the general budget per IP, but never fewer than this. */
const MIN_CREDENTIAL_ATTEMPTS = 10;

export function credentialAttemptsPerMinute(ratePerMinute: number): number {
  return Math.max(MIN_CREDENTIAL_ATTEMPTS, Math.ceil(ratePerMinute / 20));
}

function isCredentialsRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(CREDENTIALS_ROUTE, context.getHandler()) === true;
}

/**
 * Two limits per minute: `default` (RATE_LIMIT_PER_MINUTE per account, or per IP when anonymous) on every route
 * not marked `@SkipThrottle()`, and `credentials` (per IP) on register/token only. With REDIS_URL the counters
 * live in Redis (shared by replicas, on the cache's connection, so its fail-fast settings apply) and fall back to
 * per-process counters while Redis is unreachable.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, ResponseCache],
      useFactory: (config: ConfigService<Environment, true>, cache: ResponseCache): ThrottlerModuleOptions => {
        const perMinute = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
        const prefix = `${config.get('REDIS_KEY_PREFIX', { infer: true })}rl:`;
        const local = new FixedWindowThrottlerStorage();
        const storage =
          cache instanceof RedisResponseCache
            ? new FailOpenThrottlerStorage(new ThrottlerStorageRedisService(cache.redis), local)
            : local;
        return {
          storage,
          errorMessage: 'too many requests; retry after the time in the Retry-After header',
          // One budget per caller across all routes (the library's default key is per route).
          generateKey: (_context, tracker, name) => `${prefix}${name}:${tracker}`,
          throttlers: [
            { name: 'default', ttl: MINUTE_MS, limit: perMinute },
            {
              name: 'credentials',
              ttl: MINUTE_MS,
              limit: credentialAttemptsPerMinute(perMinute),
              skipIf: (context) => !isCredentialsRoute(context),
              // Always by address: a token sent along must not move password guessing into a fresh budget.
              getTracker: (req) => `ip:${normalizeIp(String(req['ip']))}`,
            },
          ],
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
