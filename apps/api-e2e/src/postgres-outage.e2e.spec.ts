import type { ApiErrorBody, FeedbackEventInput, HealthDto } from '@encore/api-contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, call, historyIds, metricValue, postFeedback, signUp } from './support/api-client';
import { ApiProcess } from './support/api-process';
import { eventually } from './support/child-processes';
import { FIXTURE_SONG_IDS, writeFixtureCatalog } from './support/fixture-catalog';
import { PrivatePostgres } from './support/private-postgres';

interface Attempt {
  events: FeedbackEventInput[];
  status: number | string;
  retryAfter: string | null;
  requestIdHeader: string | null;
  body: unknown;
}

/** Posts two-event batches with fresh ids in `lanes` loops until stopped, keeping every request and its answer. */
class FeedbackWriter {
  readonly attempts: Attempt[] = [];
  private stopped = false;
  private next = 0;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly baseUrl: string,
    private readonly user: Account,
    lanes = 2,
  ) {
    this.loops = Array.from({ length: lanes }, () => this.loop());
  }

  count(status: number): number {
    return this.attempts.filter((a) => a.status === status).length;
  }

  async stop(): Promise<Attempt[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.attempts;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const n = this.next++;
      const events: FeedbackEventInput[] = [0, 1].map((j) => ({
        songId: FIXTURE_SONG_IDS[(n + j) % FIXTURE_SONG_IDS.length],
        event: 'play',
        id: `w${n}-${j}`,
      }));
      try {
        const res = await postFeedback(this.baseUrl, this.user, events);
        this.attempts.push({
          events,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          requestIdHeader: res.headers.get('x-request-id'),
          body: res.body,
        });
      } catch (error) {
        this.attempts.push({ events, status: String(error), retryAfter: null, requestIdHeader: null, body: null });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('PostgreSQL restarted under feedback traffic (e2e, built API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-e2e-pg-outage-'));
  let pg: PrivatePostgres;
  let api: ApiProcess;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    api = await ApiProcess.start({
      env: {
        CATALOG_PATH: writeFixtureCatalog(dir),
        ENCORE_DATA_DIR: join(dir, 'data'),
        DATABASE_URL: pg.url,
        DATABASE_SCHEMA: 'e2e_pg_outage',
      },
    });
  });
  afterAll(async () => {
    await api?.stop();
    pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers writes with 503 + Retry-After while it is down, loses nothing acknowledged, and recovers without a restart', async () => {
    const base = api.baseUrl;
    const listener = await signUp(base, 'steady-writer');
    const writer = new FeedbackWriter(base, listener);
    let attempts: Attempt[];
    try {
      await eventually('writes are acknowledged', async () => (writer.count(201) >= 10 ? true : undefined));

      pg.stop();
      const refusedBefore = writer.count(503);
      // Generous: on a loaded CI box each refused write waits out the store's connection attempts first.
      await eventually(
        'writes are refused',
        async () => (writer.count(503) >= refusedBefore + 5 ? true : undefined),
        30_000,
      );

      const refused = await postFeedback(base, listener, [{ songId: 't1', event: 'like', id: 'while-down' }]);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(refused.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'storage is temporarily unavailable; retry later',
        details: [],
        requestId: refused.headers.get('x-request-id'),
      });
      const health = await call<HealthDto>(base, 'GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.checks['store']?.status).toBe('down');

      pg.restart();
      // Same process: the pool reconnects by itself.
      const acceptedBefore = writer.count(201);
      await eventually(
        'writes are acknowledged again',
        async () => (writer.count(201) >= acceptedBefore + 10 ? true : undefined),
        20_000,
      );
    } finally {
      attempts = await writer.stop();
    }

    // Only two answers while the database restarts: stored, or 503 in the error shape with retry advice.
    const unexpected = attempts.filter((a) => a.status !== 201 && a.status !== 503);
    expect(unexpected).toEqual([]);
    const refused = attempts.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    for (const attempt of refused) {
      expect(attempt.retryAfter).toMatch(/^[1-9]\d*$/);
      const body = attempt.body as ApiErrorBody;
      expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', details: [] });
      expect(body.requestId).toBe(attempt.requestIdHeader);
    }

    const idsOf = (list: Attempt[]) => list.flatMap((a) => a.events.map((e) => e.id as string));
    const acknowledged = idsOf(attempts.filter((a) => a.status === 201));
    const stored = await historyIds(base, listener);
    expect(acknowledged.filter((id) => !stored.includes(id))).toEqual([]);

    // A client that retries what was refused, with the same ids, ends with every event stored exactly once.
    for (const attempt of [...refused, { events: [{ songId: 't1', event: 'like' as const, id: 'while-down' }] }]) {
      const retry = await postFeedback(base, listener, attempt.events);
      expect(retry.status).toBe(201);
    }
    const all = await historyIds(base, listener);
    const expected = [...idsOf(attempts), 'while-down'];
    expect([...all].sort()).toEqual([...expected].sort());

    expect(await metricValue(base, 'encore_store_errors_total')).toBeGreaterThanOrEqual(refused.length);
    const health = await call<HealthDto>(base, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.checks['store']).toEqual({ status: 'up', detail: 'postgres' });
  });
});
