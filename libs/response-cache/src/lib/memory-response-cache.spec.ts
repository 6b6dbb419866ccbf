import { describeResponseCacheContract } from '../testing';
import { MemoryResponseCache } from './memory-response-cache';
import { cacheKey, namespaceOf } from './response-cache';

describeResponseCacheContract('memory', () => new MemoryResponseCache());

describe('MemoryResponseCache', () => {
  it('evicts the least recently used entry, where a hit counts as a use', async () => {
    const cache = new MemoryResponseCache({ maxEntries: 3 });
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.set('c', 3, 60);
    expect(await cache.get('a')).toBe(1); // order now b, c, a
    await cache.set('d', 4, 60); // evicts b
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('c')).toBe(3);
    expect(await cache.get('d')).toBe(4);
    expect(cache.stats().size).toBe(3);
  });

  it('re-setting a key refreshes its recency instead of adding a second entry', async () => {
    const cache = new MemoryResponseCache({ maxEntries: 2 });
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.set('a', 10, 60); // order b, a
    await cache.set('c', 3, 60); // evicts b
    expect(await cache.get('a')).toBe(10);
    expect(await cache.get('b')).toBeUndefined();
    expect(cache.stats().size).toBe(2);
  });

  it('expires by the injected clock and frees the slot on access', async () => {
    let now = 1_000_000;
    const cache = new MemoryResponseCache({ now: () => now });
    await cache.set('u1:a', 'x', 10);
    now += 9_999;
    expect(await cache.get('u1:a')).toBe('x');
    now += 1;
    expect(await cache.get('u1:a')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, errors: 0, size: 0 });
  });

  it('keeps size exact through evictions, deletes and namespace invalidation', async () => {
    const cache = new MemoryResponseCache({ maxEntries: 4 });
    for (const key of ['u1:a', 'u1:b', 'u2:a', 'u2:b', 'u3:a']) await cache.set(key, key, 60); // evicts u1:a
    expect(cache.stats().size).toBe(4);
    await cache.invalidateNamespace('u1'); // only u1:b left in u1
    expect(cache.stats().size).toBe(3);
    await cache.delete('u2:a');
    expect(cache.stats().size).toBe(2);
    await cache.invalidateNamespace('u2');
    expect(cache.stats().size).toBe(1);
    expect(await cache.get('u3:a')).toBe('u3:a');
  });

  it('refuses a non-positive maxEntries', () => {
    expect(() => new MemoryResponseCache({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});

describe('cache keys', () => {
  it('splits the namespace at the first colon', () => {
    expect(namespaceOf('u42:recs?k=10:page=2')).toBe('u42');
    expect(namespaceOf('popular')).toBeUndefined();
    expect(namespaceOf(':leading')).toBeUndefined();
    expect(cacheKey('u42', 'recs:k=10')).toBe('u42:recs:k=10');
    expect(() => cacheKey('a:b', 'x')).toThrow(/without ':'/);
  });
});
