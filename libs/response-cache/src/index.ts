export {
  ResponseCache,
  cacheKey,
  namespaceOf,
  type CacheWriteTicket,
  type ResponseCacheStats,
  type ResponseCacheHealth,
} from './lib/response-cache';
export { MemoryResponseCache, type MemoryResponseCacheOptions } from './lib/memory-response-cache';
export { RedisResponseCache, type RedisResponseCacheOptions } from './lib/redis-response-cache';
