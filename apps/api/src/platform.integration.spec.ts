import type { INestApplication } from '@nestjs/common';
import type { HealthDto, HistoryPageDto } from '@encore/api-contract';
import { ResponseCache } from '@encore/response-cache';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Pool } from 'pg';
import request from 'supertest';
import { signIn, signUp, type SignedInUser } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

// Real services, as CI starts them: PostgreSQL (trust auth, database `test`) and Redis on their default ports.
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = 'redis://127.0.0.1:6379';
/** Nothing listens here: connections are refused at once. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';
const ADMIN = { ENCORE_ADMIN_USER: 'boss', ENCORE_ADMIN_PASSWORD: 'boss-password-1' };

const runId = randomBytes(4).toString('hex');
const fixture = writeFixtureCatalog();
afterAll(() => fixture.remove());

async function postEvents(server: Server, user: SignedInUser, events: object[]): Promise<void> {
  await request(server)
    .post(`/v1/users/${user.id}/interactions`)
    .set('authorization', user.auth)
    .send({ events })
    .expect(201);
}

async function historyOf(server: Server, user: SignedInUser): Promise<HistoryPageDto> {
  return (await request(server).get(`/v1/users/${user.id}/history`).set('authorization', user.auth).expect(200)).body;
}

describe('PostgreSQL store + Redis cache, two replicas (integration)', () => {
  const schema = `api_it_${runId}`;
  const prefix = `encore-it-${runId}:`;
  const env = {
    CATALOG_PATH: fixture.path,
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    // Replicas must share the signing key (a generated one is per data directory).
    JWT_SECRET: `integration-secret-${runId}-0123456789abcdef`,
    ...ADMIN,
  };
  let a: INestApplication;
  let b: INestApplication;

  beforeAll(async () => {
    a = await startTestApp({ env });
    b = await startTestApp({ env });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    const pool = new Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('reports PostgreSQL and Redis as up', async () => {
    const health = (await request(a.getHttpServer()).get('/health').expect(200)).body as HealthDto;
    expect(health.status).toBe('ok');
    expect(health.checks).toMatchObject({
      store: { status: 'up', detail: 'postgres' },
      cache: { status: 'up', detail: 'redis' },
    });
  });

  it('registers on one replica, stores feedback through the other, reads history on both', async () => {
    const user = await signUp(a.getHttpServer(), 'pat');
    await postEvents(b.getHttpServer(), user, [
      { songId: 't1', event: 'play', timestamp: '2026-03-01T09:00:00Z', id: 'e1' },
      { songId: 't3', event: 'like', timestamp: '2026-03-01T09:05:00Z', id: 'e2' },
    ]);
    const expected = [
      {
        id: 'e2',
        songId: 't3',
        event: 'like',
        timestamp: '2026-03-01T09:05:00.000Z',
        song: { id: 't3', name: 'Lovely', artists: ['Billie Eilish', 'Khalid'] },
      },
      {
        id: 'e1',
        songId: 't1',
        event: 'play',
        timestamp: '2026-03-01T09:00:00.000Z',
        song: { id: 't1', name: 'Love Story', artists: ['Taylor Swift'] },
      },
    ];
    expect((await historyOf(a.getHttpServer(), user)).items).toEqual(expected);
    expect((await historyOf(b.getHttpServer(), user)).items).toEqual(expected);
    // A retry through the other replica is recognised by its ids.
    const retry = await request(a.getHttpServer())
      .post(`/v1/users/${user.id}/interactions`)
      .set('authorization', user.auth)
      .send({ events: [{ songId: 't1', event: 'play', timestamp: '2026-03-01T09:00:00Z', id: 'e1' }] })
      .expect(201);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 1 });

    const admin = await signIn(b.getHttpServer(), ADMIN.ENCORE_ADMIN_USER, ADMIN.ENCORE_ADMIN_PASSWORD);
    const stats = await request(b.getHttpServer()).get('/v1/admin/stats').set('authorization', admin.auth).expect(200);
    expect(stats.body).toMatchObject({ interactions: 2, cache: { backend: 'redis', errors: 0 } });
  });

  it('feedback on one replica invalidates the history the other one cached in Redis', async () => {
    const user = await signUp(a.getHttpServer(), 'quinn');
    await postEvents(a.getHttpServer(), user, [{ songId: 't6', event: 'play' }]);
    const cacheA = a.get(ResponseCache);
    expect((await historyOf(a.getHttpServer(), user)).items.map((i) => i.songId)).toEqual(['t6']);
    const hits = cacheA.stats().hits;
    expect((await historyOf(a.getHttpServer(), user)).items.map((i) => i.songId)).toEqual(['t6']);
    expect(cacheA.stats().hits).toBe(hits + 1);

    await postEvents(b.getHttpServer(), user, [{ songId: 't7', event: 'like' }]);
    const misses = cacheA.stats().misses;
    expect((await historyOf(a.getHttpServer(), user)).items.map((i) => i.songId)).toEqual(['t7', 't6']);
    expect(cacheA.stats().misses).toBe(misses + 1);
  });

  it('deleting an account on one replica revokes its token on the other', async () => {
    const user = await signUp(a.getHttpServer(), 'rory');
    await request(b.getHttpServer()).get('/v1/auth/me').set('authorization', user.auth).expect(200);
    await request(a.getHttpServer()).delete(`/v1/users/${user.id}`).set('authorization', user.auth).expect(204);
    const res = await request(b.getHttpServer()).get('/v1/auth/me').set('authorization', user.auth).expect(401);
    expect(res.body.message).toBe('token revoked');
  });
});

describe('rate limits shared through Redis (integration)', () => {
  const prefix = `encore-it-rl-${runId}:`;
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('counts requests to either replica against one budget', async () => {
    const env = { CATALOG_PATH: fixture.path, REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '4' };
    const [a, b] = [await startTestApp({ env }), await startTestApp({ env })];
    try {
      await request(a.getHttpServer()).get('/v1/genres').expect(200);
      await request(b.getHttpServer()).get('/v1/genres').expect(200);
      await request(a.getHttpServer()).get('/v1/genres').expect(200);
      await request(b.getHttpServer()).get('/v1/genres').expect(200);
      const limited = await request(a.getHttpServer()).get('/v1/genres').expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('Redis unreachable (integration)', () => {
  let app: INestApplication;
  let server: Server;

  beforeAll(async () => {
    app = await startTestApp({
      env: { CATALOG_PATH: fixture.path, REDIS_URL: DEAD_REDIS_URL, RATE_LIMIT_PER_MINUTE: '3', ...ADMIN },
    });
    server = app.getHttpServer();
  });
  afterAll(() => app.close());

  it('keeps answering: feedback, history and tokens work, the cache just misses', async () => {
    const admin = await signIn(server, ADMIN.ENCORE_ADMIN_USER, ADMIN.ENCORE_ADMIN_PASSWORD);
    await postEvents(server, admin, [{ songId: 't2', event: 'play' }]);
    expect((await historyOf(server, admin)).items.map((i) => i.songId)).toEqual(['t2']);
    expect(app.get(ResponseCache).stats()).toMatchObject({ hits: 0, errors: expect.any(Number) });
    expect(app.get(ResponseCache).stats().errors).toBeGreaterThan(0);
  });

  it('falls back to per-process rate limits', async () => {
    // 3 per minute; this IP has used 1 (the token request of the previous test, whose other calls were the admin's).
    await request(server).get('/v1/genres').expect(200);
    await request(server).get('/v1/genres').expect(200);
    await request(server).get('/v1/genres').expect(429);
  });

  it('reports degraded, not error, on /health (still 200)', async () => {
    const health = (await request(server).get('/health').expect(200)).body as HealthDto;
    expect(health.status).toBe('degraded');
    expect(health.checks['cache']).toEqual({ status: 'down', detail: 'redis unavailable' });
    expect(health.checks['store']).toEqual({ status: 'up', detail: 'sqlite' });
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^encore_cache_errors_total [1-9]\d*$/m);
  });
});
