import type { HealthDto, HistoryPageDto, RecommendationsDto } from '@encore/api-contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, call, expectStatus, metricValue, postFeedback, signUp } from './support/api-client';
import { ApiProcess } from './support/api-process';
import { eventually } from './support/child-processes';
import { writeFixtureCatalog } from './support/fixture-catalog';
import { PrivateRedis } from './support/private-redis';
import { Traffic } from './support/traffic';

describe('Redis stopped and restarted under traffic (e2e, built API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-e2e-redis-outage-'));
  let redis: PrivateRedis;
  let api: ApiProcess;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await ApiProcess.start({
      env: {
        CATALOG_PATH: writeFixtureCatalog(dir),
        ENCORE_DATA_DIR: join(dir, 'data'),
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: 'e2e:',
      },
    });
  });
  afterAll(async () => {
    await api?.stop();
    await redis?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const recs = async (user: Account) =>
    (
      await expectStatus<RecommendationsDto>(200, api.baseUrl, 'GET', `/v1/users/${user.id}/recommendations?k=4`, {
        auth: user.auth,
      })
    ).items.map((item) => item.id);
  const history = (user: Account) =>
    expectStatus<HistoryPageDto>(200, api.baseUrl, 'GET', `/v1/users/${user.id}/history`, { auth: user.auth });
  const cacheCheck = async () => (await call<HealthDto>(api.baseUrl, 'GET', '/health')).body.checks['cache']?.status;
  const hits = () => metricValue(api.baseUrl, 'encore_cache_hits_total');

  it('answers every request uncached while Redis is away, caches again by itself, and serves nothing the outage made stale', async () => {
    const base = api.baseUrl;
    const listener = await signUp(base, 'outage-listener');
    const bystander = await signUp(base, 'bystander');
    expect((await postFeedback(base, listener, [{ songId: 't1', event: 'play', id: 'before-1' }])).status).toBe(201);

    const beforeOutage = await recs(listener);
    expect(beforeOutage).toHaveLength(4);
    expect(beforeOutage).not.toContain('t1');
    expect((await history(listener)).items.map((i) => i.id)).toEqual(['before-1']);
    const warm = await hits();
    expect(await recs(listener)).toEqual(beforeOutage);
    expect(await hits()).toBe(warm + 1);

    let duringOutage: string[] = [];
    const traffic = new Traffic([
      { label: 'songs', send: async () => (await call(base, 'GET', '/v1/songs?limit=5')).status },
      { label: 'similar', send: async () => (await call(base, 'GET', '/v1/songs/t3/similar?k=3')).status },
      {
        label: 'recommendations',
        send: async () =>
          (await call(base, 'GET', `/v1/users/${bystander.id}/recommendations?k=3`, { auth: bystander.auth })).status,
      },
      {
        label: 'feedback',
        send: async () => (await postFeedback(base, bystander, [{ songId: 't12', event: 'play' }])).status,
      },
    ]);
    try {
      // Redis keeps what it held (one snapshot, then a crash), as a persistent or merely unreachable Redis would:
      // the entries cached before the outage are still there when it comes back.
      await redis.stop({ keepData: true });
      await eventually('/health reports the cache down', async () =>
        (await cacheCheck()) === 'down' ? true : undefined,
      );
      const hitsDuringOutage = await hits();
      const errorsAtStart = await metricValue(base, 'encore_cache_errors_total');

      // The listener's feedback arrives while the cache cannot be told to drop their entries.
      const played = beforeOutage[0];
      expect((await postFeedback(base, listener, [{ songId: played, event: 'play', id: 'during-1' }])).status).toBe(
        201,
      );
      duringOutage = await recs(listener);
      expect(duringOutage).not.toContain(played);
      expect((await history(listener)).items.map((i) => i.id)).toEqual(['during-1', 'before-1']);
      await eventually('traffic flows during the outage', async () => (traffic.count >= 20 ? true : undefined));
      expect(await hits()).toBe(hitsDuringOutage);
      expect(await metricValue(base, 'encore_cache_errors_total')).toBeGreaterThan(errorsAtStart);
      const health = (await call<HealthDto>(base, 'GET', '/health')).body;
      expect(health.status).toBe('degraded');

      await redis.restart();
      await eventually('/health reports the cache up again', async () =>
        (await cacheCheck()) === 'up' ? true : undefined,
      );

      // Nothing cached before the outage hides the feedback sent during it.
      expect(await recs(listener)).toEqual(duringOutage);
      expect((await history(listener)).items.map((i) => i.id)).toEqual(['during-1', 'before-1']);
    } finally {
      const outcomes = await traffic.stop();
      expect(outcomes.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);
      expect(outcomes.length).toBeGreaterThanOrEqual(20);
    }

    // Caching resumed without a restart: a repeated request is a hit again (no other traffic now).
    const resumed = await hits();
    expect(await recs(listener)).toEqual(duringOutage);
    expect(await hits()).toBe(resumed + 1);
    expect((await history(listener)).items.map((i) => i.id)).toEqual(['during-1', 'before-1']);
    expect(await hits()).toBe(resumed + 2);
  });
});
