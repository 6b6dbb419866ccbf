import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MemoryResponseCache, RedisResponseCache, ResponseCache } from '@encore/response-cache';
import type { Environment } from '../config/environment';

/** Redis failures are counted by the cache itself; the log gets at most one line per this interval. */
const ERROR_LOG_INTERVAL_MS = 30_000;
const REDIS_READY_TIMEOUT_MS = 1000;

/**
 * The response cache, chosen by config in one factory: Redis (shared by replicas) when REDIS_URL is set, else an
 * in-process LRU. Global and exported so the recommendation and feedback modules share one instance.
 */
export const responseCacheProvider = {
  provide: ResponseCache,
  inject: [ConfigService],
  useFactory: async (config: ConfigService<Environment, true>): Promise<ResponseCache> => {
    const url = config.get('REDIS_URL', { infer: true });
    if (!url) return new MemoryResponseCache();
    const logger = new Logger('ResponseCache');
    let lastLogged = 0;
    const cache = new RedisResponseCache({
      url,
      keyPrefix: `${config.get('REDIS_KEY_PREFIX', { infer: true })}rc:`,
      onError: (error, operation) => {
        const now = Date.now();
        if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
        lastLogged = now;
        logger.warn(`Redis ${operation} failed, serving without cache: ${error.message}`);
      },
    });
    // Serve from a connected cache when Redis is there; when it is not, start anyway (it reconnects by itself).
    if (!(await cache.waitUntilReady(REDIS_READY_TIMEOUT_MS))) {
      logger.warn(`Redis at ${redactedUrl(url)} not reachable; serving without a shared cache until it is`);
    }
    return cache;
  },
};

/** The URL without its password, for logs. */
function redactedUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}

@Global()
@Module({ providers: [responseCacheProvider], exports: [ResponseCache] })
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(ResponseCache) private readonly cache: ResponseCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
