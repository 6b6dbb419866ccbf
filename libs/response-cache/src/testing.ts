import type { ResponseCache } from './lib/response-cache';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Behaviour every `ResponseCache` must share. `factory` returns a fresh, empty cache isolated from other tests
 * (e.g. a unique Redis key prefix); the suite closes it after each test.
 */
export function describeResponseCacheContract(
  name: string,
  factory: () => ResponseCache | Promise<ResponseCache>,
): void {
  describe(`ResponseCache contract: ${name}`, () => {
    let cache: ResponseCache;

    beforeEach(async () => {
      cache = await factory();
    });

    afterEach(async () => {
      await cache.close();
    });

    it('misses an unknown key and hits after set', async () => {
      expect(await cache.get('u1:recs')).toBeUndefined();
      await cache.set('u1:recs', { items: [3, 1, 2], model: 'v7' }, 60);
      expect(await cache.get('u1:recs')).toEqual({ items: [3, 1, 2], model: 'v7' });
    });

    it('round-trips every JSON value, telling a cached null apart from a miss', async () => {
      const values: unknown[] = ['text', 0, -1.5, true, false, null, [], {}, [{ a: [1, { b: 'c' }] }]];
      for (const [i, value] of values.entries()) await cache.set(`json:${i}`, value, 60);
      for (const [i, value] of values.entries()) expect(await cache.get(`json:${i}`)).toEqual(value);
    });

    it('returns copies, so mutating a hit does not change the cached value', async () => {
      await cache.set('u1:profile', { tags: ['rock'] }, 60);
      const first = await cache.get<{ tags: string[] }>('u1:profile');
      first?.tags.push('jazz');
      expect(await cache.get('u1:profile')).toEqual({ tags: ['rock'] });
    });

    it('overwrites on set and forgets on delete', async () => {
      await cache.set('u1:recs', 'old', 60);
      await cache.set('u1:recs', 'new', 60);
      expect(await cache.get('u1:recs')).toBe('new');
      await cache.delete('u1:recs');
      expect(await cache.get('u1:recs')).toBeUndefined();
      await cache.delete('never-set');
    });

    it('expires an entry after its TTL but keeps a longer-lived one', async () => {
      await cache.set('ttl:short', 'gone soon', 0.05);
      await cache.set('ttl:long', 'still here', 60);
      await sleep(200);
      expect(await cache.get('ttl:short')).toBeUndefined();
      expect(await cache.get('ttl:long')).toBe('still here');
    });

    it('invalidates one namespace without touching others, including ones sharing a prefix', async () => {
      await cache.set('u1:recs', 'a', 60);
      await cache.set('u1:history', 'b', 60);
      await cache.set('u10:recs', 'c', 60);
      await cache.set('u2:recs', 'd', 60);
      await cache.set('popular', 'e', 60);
      await cache.invalidateNamespace('u1');
      expect(await cache.get('u1:recs')).toBeUndefined();
      expect(await cache.get('u1:history')).toBeUndefined();
      expect(await cache.get('u10:recs')).toBe('c');
      expect(await cache.get('u2:recs')).toBe('d');
      expect(await cache.get('popular')).toBe('e');
    });

    it('caches again in a namespace after it was invalidated', async () => {
      await cache.set('u1:recs', 'before', 60);
      await cache.invalidateNamespace('u1');
      await cache.set('u1:recs', 'after', 60);
      expect(await cache.get('u1:recs')).toBe('after');
      await cache.invalidateNamespace('nobody-cached-this');
      expect(await cache.get('u1:recs')).toBe('after');
    });

    it('invalidateAll drops every entry and caching then resumes', async () => {
      await cache.set('u1:recs', 'a', 60);
      await cache.set('u2:recs', 'b', 60);
      await cache.set('popular', 'c', 60);
      await cache.invalidateAll();
      expect(await cache.get('u1:recs')).toBeUndefined();
      expect(await cache.get('u2:recs')).toBeUndefined();
      expect(await cache.get('popular')).toBeUndefined();
      await cache.set('u1:recs', 'fresh', 60);
      expect(await cache.get('u1:recs')).toBe('fresh');
    });

    it('counts hits and misses exactly, with no errors on a healthy backend', async () => {
      const before = cache.stats();
      await cache.get('u1:a'); // miss
      await cache.set('u1:a', 1, 60);
      await cache.get('u1:a'); // hit
      await cache.get('u1:a'); // hit
      await cache.get('u1:b'); // miss
      await cache.invalidateNamespace('u1');
      await cache.get('u1:a'); // miss
      const after = cache.stats();
      expect(after.hits - before.hits).toBe(2);
      expect(after.misses - before.misses).toBe(3);
      expect(after.errors).toBe(0);
      expect(await cache.health()).toEqual({ ok: true });
    });

    it('returns the stored JSON text as is from getRaw, counting it like get', async () => {
      const before = cache.stats();
      expect(await cache.getRaw('u1:raw')).toBeUndefined();
      await cache.set('u1:raw', { items: ['a', 'b'], score: 0.5 }, 60);
      expect(await cache.getRaw('u1:raw')).toBe('{"items":["a","b"],"score":0.5}');
      const after = cache.stats();
      expect([after.hits - before.hits, after.misses - before.misses]).toEqual([1, 1]);
      // A probe's miss is left for the lookup that follows it to count.
      expect(await cache.getRaw('u1:absent', { probe: true })).toBeUndefined();
      expect(cache.stats().misses).toBe(after.misses);
    });

    it('drops a write whose ticket predates an invalidation of its namespace or of everything', async () => {
      const stale = await cache.reserve('u1:recs');
      const otherNamespace = await cache.reserve('u2:recs');
      await cache.invalidateNamespace('u1');
      await cache.set('u1:recs', 'computed before the feedback', 60, stale);
      expect(await cache.get('u1:recs')).toBeUndefined();
      // Invalidating u1 says nothing about u2: its ticket still holds.
      await cache.set('u2:recs', 'still current', 60, otherNamespace);
      expect(await cache.get('u2:recs')).toBe('still current');

      const fresh = await cache.reserve('u1:recs');
      await cache.set('u1:recs', 'computed after the feedback', 60, fresh);
      expect(await cache.get('u1:recs')).toBe('computed after the feedback');

      const beforeAll = await cache.reserve('u3:recs');
      await cache.invalidateAll();
      await cache.set('u3:recs', 'computed under the old model', 60, beforeAll);
      expect(await cache.get('u3:recs')).toBeUndefined();
    });

    it('stores text serialised by the caller with setRaw, under the same tickets', async () => {
      await cache.setRaw('u1:text', '{"items":[1,2]}', 60);
      expect(await cache.getRaw('u1:text')).toBe('{"items":[1,2]}');
      expect(await cache.get('u1:text')).toEqual({ items: [1, 2] });
      const stale = await cache.reserve('u1:text');
      await cache.invalidateNamespace('u1');
      await cache.setRaw('u1:text', '"stale"', 60, stale);
      expect(await cache.getRaw('u1:text')).toBeUndefined();
      await expect(cache.setRaw('u1:text', '"x"', -1)).rejects.toThrow(RangeError);
    });

    it('refuses a ticket used for another key', async () => {
      const ticket = await cache.reserve('u1:a');
      await expect(cache.set('u1:b', 1, 60, ticket)).rejects.toThrow(RangeError);
    });

    it('rejects misuse instead of silently caching nothing', async () => {
      await expect(cache.set('u1:a', 'v', 0)).rejects.toThrow(/ttlSeconds must be a positive finite number/);
      await expect(cache.set('u1:a', 'v', Number.NaN)).rejects.toThrow(RangeError);
      await expect(cache.set('u1:a', undefined, 60)).rejects.toThrow(/no JSON form/);
      await expect(cache.get('')).rejects.toThrow(/non-empty string/);
      await expect(cache.invalidateNamespace('a:b')).rejects.toThrow(/without ':'/);
      await expect(cache.invalidateNamespace('')).rejects.toThrow(RangeError);
    });
  });
}
