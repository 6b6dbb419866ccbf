import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import Redis from 'ioredis';
import { describeResponseCacheContract } from '../testing';
import { RedisResponseCache, type RedisResponseCacheOptions } from './redis-response-cache';

// Real Redis on 127.0.0.1:6379. Every cache gets its own key prefix under this run's prefix, and everything under
// the run prefix is deleted afterwards, so parallel runs on the shared server never see each other's keys.
const REDIS_URL = 'redis://127.0.0.1:6379';
const runPrefix = `encore:test:rc:${randomUUID()}:`;
const opened: RedisResponseCache[] = [];
let admin: Redis;

async function openCache(options: RedisResponseCacheOptions = {}): Promise<RedisResponseCache> {
  const cache = new RedisResponseCache({ url: REDIS_URL, keyPrefix: `${runPrefix}${randomUUID()}:`, ...options });
  opened.push(cache);
  if (!(await cache.waitUntilReady())) throw new Error(`Redis at ${options.url ?? REDIS_URL} is not reachable`);
  return cache;
}

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A TCP relay in front of the shared Redis, so one client can lose its server without disturbing anyone else. */
class RedisRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      client.on('data', (chunk) => {
        if (!this.stalled) upstream.write(chunk);
      });
      upstream.pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', drop).on('error', drop);
      upstream.on('close', drop).on('error', drop);
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  /** Swallows requests without closing anything: the server looks alive but never answers. */
  stall(): void {
    this.stalled = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(() => {
  admin = new Redis(REDIS_URL);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

describeResponseCacheContract('redis', () => openCache());

describe('RedisResponseCache', () => {
  it('stores JSON under its prefix with a millisecond TTL', async () => {
    const prefix = `${runPrefix}layout:`;
    const cache = await openCache({ keyPrefix: prefix });
    await cache.set('u1:recs', { ids: [1, 2] }, 30);
    const keys = await admin.keys(`${prefix}*`);
    expect(keys).toEqual([`${prefix}v:0:0:u1:recs`]);
    expect(JSON.parse((await admin.get(keys[0])) as string)).toEqual({ ids: [1, 2] });
    const pttl = await admin.pttl(keys[0]);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
    await cache.invalidateNamespace('u1');
    expect(await admin.get(`${prefix}gen:u1`)).toBe('1');
  });

  it('shares entries and invalidations between instances through pub/sub', async () => {
    const keyPrefix = `${runPrefix}${randomUUID()}:`;
    const a = await openCache({ keyPrefix, generationMaxAgeMs: 600_000 });
    const b = await openCache({ keyPrefix, generationMaxAgeMs: 600_000 });
    await a.set('u1:recs', 'from a', 60);
    await a.set('u2:recs', 'other user', 60);
    expect(await b.get('u1:recs')).toBe('from a');

    await a.invalidateNamespace('u1');
    await waitFor('b sees the namespace invalidation', async () => (await b.get('u1:recs')) === undefined);
    expect(await b.get('u2:recs')).toBe('other user');

    await b.set('u2:recs', 'from b', 60);
    expect(await a.get('u2:recs')).toBe('from b');
    await b.invalidateAll();
    await waitFor('a sees invalidateAll', async () => (await a.get('u2:recs')) === undefined);
  });

  it('relies on the message, not a re-read, to drop a remembered generation', async () => {
    const prefix = `${runPrefix}${randomUUID()}:`;
    const cache = await openCache({ keyPrefix: prefix, generationMaxAgeMs: 600_000 });
    await cache.set('u1:recs', 'cached', 60);
    expect(await cache.get('u1:recs')).toBe('cached');
    // Bumping the counter behind the cache's back (no publish) goes unnoticed while the generation is remembered…
    await admin.incr(`${prefix}gen:u1`);
    expect(await cache.get('u1:recs')).toBe('cached');
    // …and an invalidation message from any replica makes it re-read the counter.
    await admin.publish(`${prefix}invalidate`, JSON.stringify({ origin: 'another replica', ns: 'u1' }));
    await waitFor('the message arrives', async () => (await cache.get('u1:recs')) === undefined);
  });

  it('degrades every call to a miss or no-op when Redis cannot be reached', async () => {
    const errors: string[] = [];
    const port = await closedPort();
    const cache = new RedisResponseCache({ url: `redis://127.0.0.1:${port}`, onError: (_e, op) => errors.push(op) });
    opened.push(cache);
    expect(await cache.waitUntilReady(200)).toBe(false);
    await expect(cache.set('u1:recs', 'x', 60)).resolves.toBeUndefined();
    await expect(cache.get('u1:recs')).resolves.toBeUndefined();
    await expect(cache.delete('u1:recs')).resolves.toBeUndefined();
    await expect(cache.invalidateNamespace('u1')).resolves.toBeUndefined();
    await expect(cache.invalidateAll()).resolves.toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 0, misses: 1, errors: 5 });
    expect(errors).toEqual(['set', 'get', 'delete', 'invalidateNamespace', 'invalidateAll']);
    const health = await cache.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^redis /);
  });

  it('turns an unanswered command into a miss after the command timeout', async () => {
    const relay = new RedisRelay();
    await relay.start();
    try {
      const cache = await openCache({ url: `redis://127.0.0.1:${relay.port}`, commandTimeoutMs: 100 });
      await cache.set('u1:recs', 'x', 60);
      relay.stall();
      await expect(cache.get('u1:recs')).resolves.toBeUndefined();
      expect(cache.stats().errors).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('resumes caching by itself when Redis comes back', async () => {
    const relay = new RedisRelay();
    await relay.start();
    try {
      const cache = await openCache({ url: `redis://127.0.0.1:${relay.port}` });
      await cache.set('u1:recs', 'before', 60);
      expect(await cache.get('u1:recs')).toBe('before');

      await relay.stop();
      await waitFor('the client notices the outage', async () => cache.redis.status !== 'ready');
      await expect(cache.get('u1:recs')).resolves.toBeUndefined();
      await expect(cache.set('u1:recs', 'during', 60)).resolves.toBeUndefined();
      expect(cache.stats().errors).toBe(2);
      expect((await cache.health()).ok).toBe(false);

      await relay.start(); // same port: the client reconnects on its own
      expect(await cache.waitUntilReady()).toBe(true);
      expect(await cache.get('u1:recs')).toBe('before');
      await cache.set('u1:recs', 'after', 60);
      expect(await cache.get('u1:recs')).toBe('after');
      expect(await cache.health()).toEqual({ ok: true });
    } finally {
      await relay.stop();
    }
  });

  it('sends an invalidation Redis missed once it is back, so entries cached before the outage are not served', async () => {
    const relay = new RedisRelay();
    await relay.start();
    try {
      const keyPrefix = `${runPrefix}${randomUUID()}:`;
      const cache = await openCache({ url: `redis://127.0.0.1:${relay.port}`, keyPrefix });
      // Another replica, whose connection never breaks.
      const other = await openCache({ keyPrefix, generationMaxAgeMs: 600_000 });
      await cache.set('u1:recs', 'before the outage', 60);
      await cache.set('u2:recs', 'someone else', 60);
      expect(await other.get('u1:recs')).toBe('before the outage');

      await relay.stop();
      await waitFor('the client notices the outage', async () => cache.redis.status !== 'ready');
      await cache.invalidateNamespace('u1');
      expect(cache.stats().errors).toBe(1);
      expect(await admin.get(`${keyPrefix}gen:u1`)).toBeNull();

      await relay.start();
      expect(await cache.waitUntilReady()).toBe(true);
      expect(await cache.get('u1:recs')).toBeUndefined();
      expect(await admin.get(`${keyPrefix}gen:u1`)).toBe('1');
      await waitFor('the other replica hears of it', async () => (await other.get('u1:recs')) === undefined);
      expect(await cache.get('u2:recs')).toBe('someone else');
      await cache.set('u1:recs', 'after', 60);
      expect(await other.get('u1:recs')).toBe('after');
    } finally {
      await relay.stop();
    }
  });

  it('sends missed invalidations before anything else, collapsing too many into one invalidateAll', async () => {
    const relay = new RedisRelay();
    await relay.start();
    try {
      const keyPrefix = `${runPrefix}${randomUUID()}:`;
      const cache = await openCache({ url: `redis://127.0.0.1:${relay.port}`, keyPrefix, maxLocalGenerations: 2 });
      for (const user of ['u1', 'u2', 'u3', 'u4']) await cache.set(`${user}:recs`, user, 60);
      await cache.set('popular', 'no namespace', 60);

      await relay.stop();
      await waitFor('the client notices the outage', async () => cache.redis.status !== 'ready');
      for (const user of ['u1', 'u2', 'u3']) await cache.invalidateNamespace(user);

      await relay.start();
      expect(await cache.waitUntilReady()).toBe(true);
      // Three namespaces exceed the bound of two: everything written before the outage is retired.
      for (const key of ['u1:recs', 'u2:recs', 'u3:recs', 'u4:recs', 'popular'])
        expect({ key, value: await cache.get(key) }).toEqual({ key, value: undefined });
      expect(await admin.get(`${keyPrefix}gen`)).toBe('1');
      expect(await admin.get(`${keyPrefix}gen:u1`)).toBeNull();
    } finally {
      await relay.stop();
    }
  });
});
