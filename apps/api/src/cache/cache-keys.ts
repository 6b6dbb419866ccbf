import { cacheKey } from '@encore/response-cache';

/**
 * Cache namespace of everything computed for one listener (recommendations, history pages). Feedback and account
 * deletion drop the whole namespace, so every per-user key must be built with `userCacheKey`.
 */
export function userCacheNamespace(userId: string): string {
  return `user-${userId}`;
}

export function userCacheKey(userId: string, rest: string): string {
  return cacheKey(userCacheNamespace(userId), rest);
}
