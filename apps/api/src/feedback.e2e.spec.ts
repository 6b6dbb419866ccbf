import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody, HistoryPageDto } from '@encore/api-contract';
import { ResponseCache } from '@encore/response-cache';
import type { Server } from 'node:http';
import request from 'supertest';
import { signIn, signUp, type SignedInUser } from './testing/accounts';
import { FakeRecommender } from './testing/fake-recommender';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp, temporaryDataDir } from './testing/test-app';

const ADMIN = { ENCORE_ADMIN_USER: 'boss', ENCORE_ADMIN_PASSWORD: 'boss-password-1' };

describe('feedback and history (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const recommender = new FakeRecommender();
  let app: INestApplication;
  let server: Server;
  let user: SignedInUser;

  beforeAll(async () => {
    app = await startTestApp({
      recommender,
      env: { CATALOG_PATH: fixture.path, MAX_EVENTS_PER_BATCH: '5', RATE_LIMIT_PER_MINUTE: '100000', ...ADMIN },
    });
    server = app.getHttpServer();
    user = await signUp(server, 'listener');
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  const post = (body: unknown, who: SignedInUser = user) =>
    request(server)
      .post(`/v1/users/${who.id}/interactions`)
      .set('authorization', who.auth)
      .send(body as object);
  const history = async (query = '', who: SignedInUser = user): Promise<HistoryPageDto> =>
    (await request(server).get(`/v1/users/${who.id}/history${query}`).set('authorization', who.auth).expect(200)).body;
  const badRequest = async (body: unknown): Promise<ApiErrorBody> => {
    const res = await post(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: res.headers['x-request-id'] });
    return res.body;
  };

  it('stores a batch (201), shows it newest first with song summaries, and passes it to the provider', async () => {
    const res = await post({
      events: [
        { songId: 't1', event: 'play', timestamp: '2026-01-10T10:00:00Z' },
        { songId: 't1', event: 'like', timestamp: 1_768_039_260_000 },
        { songId: 't2', event: 'skip', timestamp: '2026-01-10T11:00:00.500+01:00' },
      ],
    }).expect(201);
    expect(res.body).toEqual({ accepted: 3, duplicates: 0 });

    expect(await history()).toEqual({
      items: [
        {
          songId: 't1',
          event: 'like',
          timestamp: '2026-01-10T10:01:00.000Z',
          song: { id: 't1', name: 'Love Story', artists: ['Taylor Swift'] },
        },
        {
          songId: 't2',
          event: 'skip',
          timestamp: '2026-01-10T10:00:00.500Z',
          song: { id: 't2', name: 'LOVE', artists: ['Kendrick Lamar', 'Zacari'] },
        },
        {
          songId: 't1',
          event: 'play',
          timestamp: '2026-01-10T10:00:00.000Z',
          song: { id: 't1', name: 'Love Story', artists: ['Taylor Swift'] },
        },
      ],
    });
    expect(recommender.recorded).toEqual([
      {
        userId: user.id,
        interactions: [
          { songId: 't1', event: 'play', timestamp: Date.parse('2026-01-10T10:00:00Z') },
          { songId: 't1', event: 'like', timestamp: 1_768_039_260_000 },
          { songId: 't2', event: 'skip', timestamp: Date.parse('2026-01-10T10:00:00.500Z') },
        ],
      },
    ]);
  });

  it('defaults the timestamp to now and stores each event once per id', async () => {
    const before = Date.now();
    const batch = {
      events: [
        { songId: 't5', event: 'dislike', id: 'client-1' },
        { songId: 't6', event: 'play', id: 'client-2' },
      ],
    };
    expect((await post(batch).expect(201)).body).toEqual({ accepted: 2, duplicates: 0 });
    const calls = recommender.recorded.length;
    expect((await post(batch).expect(201)).body).toEqual({ accepted: 0, duplicates: 2 });
    expect(recommender.recorded).toHaveLength(calls);
    const { items } = await history('?limit=2');
    expect(items.map((i) => [i.songId, i.event, i.id])).toEqual(
      expect.arrayContaining([
        ['t5', 'dislike', 'client-1'],
        ['t6', 'play', 'client-2'],
      ]),
    );
    for (const item of items) expect(Date.parse(item.timestamp)).toBeGreaterThanOrEqual(before);
  });

  it('pages through the history with nextCursor', async () => {
    const other = await signUp(server, 'pager');
    const events = ['t1', 't2', 't3', 't4', 't5'].map((songId, i) => ({
      songId,
      event: 'play',
      timestamp: Date.UTC(2026, 0, 1, 12, i),
    }));
    await post({ events }, other).expect(201);
    const first = await history('?limit=2', other);
    expect(first.items.map((i) => i.songId)).toEqual(['t5', 't4']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await history(`?limit=2&cursor=${first.nextCursor}`, other);
    expect(second.items.map((i) => i.songId)).toEqual(['t3', 't2']);
    const last = await history(`?limit=2&cursor=${second.nextCursor}`, other);
    expect(last.items.map((i) => i.songId)).toEqual(['t1']);
    expect(last.nextCursor).toBeUndefined();

    const bad = await request(server)
      .get(`/v1/users/${other.id}/history?cursor=abc`)
      .set('authorization', other.auth)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'cursor', message: 'is not a cursor returned by this endpoint' }]);
    const big = await request(server)
      .get(`/v1/users/${other.id}/history?limit=101`)
      .set('authorization', other.auth)
      .expect(400);
    expect(big.body.details[0]).toEqual({ field: 'limit', message: 'must not be greater than 100' });
  });

  it('drops the cached first page when feedback arrives', async () => {
    const cache = app.get(ResponseCache);
    const reader = await signUp(server, 'reader');
    await post({ events: [{ songId: 't7', event: 'play' }] }, reader).expect(201);
    await history('', reader);
    const hits = cache.stats().hits;
    expect((await history('', reader)).items.map((i) => i.songId)).toEqual(['t7']);
    expect(cache.stats().hits).toBe(hits + 1);
    await post({ events: [{ songId: 't8', event: 'like' }] }, reader).expect(201);
    expect((await history('', reader)).items.map((i) => i.songId)).toEqual(['t8', 't7']);
  });

  describe('validation: every entry is checked before anything is stored', () => {
    let stored: number;
    beforeEach(async () => {
      stored = (await history('?limit=100')).items.length;
    });
    afterEach(async () => {
      expect((await history('?limit=100')).items).toHaveLength(stored);
    });

    it('names an unknown song id by its index', async () => {
      const body = await badRequest({ events: [{ songId: 'nope', event: 'play' }] });
      expect(body.details[0].field).toBe('events[0].songId');
      expect(body).toMatchObject({ message: 'events[0].songId unknown song id nope' });
      const several = await badRequest({
        events: [
          { songId: 't1', event: 'play' },
          { songId: 'x1', event: 'play' },
          { songId: 't2', event: 'play' },
          { songId: 'x3', event: 'like' },
        ],
      });
      expect(several.details.map((d) => d.field)).toEqual(['events[1].songId', 'events[3].songId']);
    });

    it.each([
      [
        {
          events: [
            { songId: 't1', event: 'play' },
            { songId: 't1', event: 'love' },
          ],
        },
        'events[1].event',
        'must be one of the following values: play, like, skip, dislike',
      ],
      [{ events: [{ songId: 't1', event: 'play', rating: 5 }] }, 'events[0].rating', 'should not exist'],
      [{ events: [{ songId: 't1', event: 'play' }], userId: 'someone' }, 'userId', 'should not exist'],
      [
        { events: [{ songId: 't1', event: 'play', timestamp: 'yesterday' }] },
        'events[0].timestamp',
        'must be an ISO 8601 date-time with a time zone or epoch milliseconds',
      ],
      [
        { events: [{ songId: 't1', event: 'play', timestamp: '2026-01-10T10:00:00' }] },
        'events[0].timestamp',
        'must be an ISO 8601 date-time with a time zone or epoch milliseconds',
      ],
      [
        { events: [{ songId: 't1', event: 'play', timestamp: -5 }] },
        'events[0].timestamp',
        'must be an ISO 8601 date-time with a time zone or epoch milliseconds',
      ],
      [
        { events: [{ songId: 't1', event: 'play', id: 'has space' }] },
        'events[0].id',
        'must be 1 to 64 characters of A-Z a-z 0-9 . _ : -',
      ],
      [{ events: [{ event: 'play' }] }, 'events[0].songId', 'must be a string'],
      [{ events: [] }, 'events', 'must contain at least 1 elements'],
      [{ events: 'play t1' }, 'events', 'must be an array'],
      [{}, 'events', 'must be an array'],
    ])('rejects %j naming %s', async (payload, field, message) => {
      const body = await badRequest(payload);
      expect(body.details[0].field).toBe(field);
      expect(body.details.map((d) => d.message)).toContain(message);
    });

    it('refuses timestamps more than 5 minutes ahead', async () => {
      const body = await badRequest({
        events: [
          { songId: 't1', event: 'play', timestamp: Date.now() + 60_000 },
          { songId: 't1', event: 'play', timestamp: new Date(Date.now() + 3_600_000).toISOString() },
        ],
      });
      expect(body.details).toEqual([
        { field: 'events[1].timestamp', message: 'must not be more than 5 minutes in the future' },
      ]);
    });

    it('refuses batches above MAX_EVENTS_PER_BATCH', async () => {
      const body = await badRequest({ events: Array.from({ length: 6 }, () => ({ songId: 't1', event: 'play' })) });
      expect(body.details).toEqual([{ field: 'events', message: 'must contain at most 5 events (got 6)' }]);
    });

    it('answers 413 in the error shape for a body over 100 kB, and 400 for malformed JSON', async () => {
      const huge = { events: [{ songId: 't1', event: 'play', id: 'x'.repeat(110_000) }] };
      const res = await post(huge).expect(413);
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'request body is larger than 102400 bytes',
        details: [],
        requestId: res.headers['x-request-id'],
      });
      const malformed = await request(server)
        .post(`/v1/users/${user.id}/interactions`)
        .set('authorization', user.auth)
        .set('content-type', 'application/json')
        .send('{"events": [')
        .expect(400);
      expect(malformed.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/JSON/), details: [] });
    });
  });

  it('answers 201 when the provider fails after storing, and counts the failure', async () => {
    recommender.failWith = new Error('model offline');
    try {
      expect((await post({ events: [{ songId: 't9', event: 'like' }] }).expect(201)).body).toEqual({
        accepted: 1,
        duplicates: 0,
      });
    } finally {
      recommender.failWith = undefined;
    }
    expect((await history('?limit=1')).items[0]).toMatchObject({ songId: 't9', event: 'like' });
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toContain('encore_provider_errors_total{provider="fake",operation="recordInteractions"} 1');
    expect(metrics).toMatch(/^encore_interactions_accepted_total \d+$/m);
    expect(metrics).toContain('encore_interactions_received_total{event="like"}');
  });

  it('lets an admin record and read feedback for any listener id, including simulated ones', async () => {
    const admin = await signIn(server, ADMIN.ENCORE_ADMIN_USER, ADMIN.ENCORE_ADMIN_PASSWORD);
    await request(server)
      .post('/v1/users/sim-u0001/interactions')
      .set('authorization', admin.auth)
      .send({ events: [{ songId: 't3', event: 'play' }] })
      .expect(201);
    const res = await request(server).get('/v1/users/sim-u0001/history').set('authorization', admin.auth).expect(200);
    expect(res.body.items.map((i: { songId: string }) => i.songId)).toEqual(['t3']);
    const weird = await request(server).get('/v1/users/a:b/history').set('authorization', admin.auth).expect(400);
    expect(weird.body.details[0].field).toBe('id');
  });
});

describe('durability across restarts (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const data = temporaryDataDir();
  afterAll(() => {
    fixture.remove();
    data.remove();
  });

  it('serves acknowledged events after the app is closed and started again on the same data directory', async () => {
    const env = { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir };
    const first = await startTestApp({ env });
    const user = await signUp(first.getHttpServer(), 'steady');
    await request(first.getHttpServer())
      .post(`/v1/users/${user.id}/interactions`)
      .set('authorization', user.auth)
      .send({ events: [{ songId: 't10', event: 'like', timestamp: '2026-02-01T08:00:00Z' }] })
      .expect(201);
    await first.close();

    const second = await startTestApp({ env });
    try {
      // Same generated JWT key and same database: the old token and the events are both still good.
      const res = await request(second.getHttpServer())
        .get(`/v1/users/${user.id}/history`)
        .set('authorization', user.auth)
        .expect(200);
      expect(res.body.items).toEqual([
        {
          songId: 't10',
          event: 'like',
          timestamp: '2026-02-01T08:00:00.000Z',
          song: { id: 't10', name: 'Take Five', artists: ['The Dave Brubeck Quartet'] },
        },
      ]);
    } finally {
      await second.close();
    }
  });
});
