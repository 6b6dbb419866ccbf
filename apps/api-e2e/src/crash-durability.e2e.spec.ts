import type { FeedbackEventInput } from '@encore/api-contract';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Account, historyIds, postFeedback, signIn, signUp } from './support/api-client';
import { ApiProcess } from './support/api-process';
import { FIXTURE_SONG_IDS, writeFixtureCatalog } from './support/fixture-catalog';

// The shared PostgreSQL that CI and the integration suites use; this suite only adds (and drops) its own schema.
const SHARED_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const BURST_REQUESTS = 300;
const CONCURRENCY = 16;
/** The process is killed once this many requests were acknowledged: well inside the burst. */
const KILL_AFTER_ACKS = 60;

interface Burst {
  acknowledged: string[];
  /** Ids of every batch sent, answered or not. */
  sent: FeedbackEventInput[][];
  failures: string[];
}

/**
 * Fires BURST_REQUESTS two-event batches, CONCURRENCY at a time, each event with a client id, and SIGKILLs the API
 * when KILL_AFTER_ACKS have been answered 201. Requests not yet sent then are never sent.
 */
async function burstUntilKilled(api: ApiProcess, user: Account): Promise<Burst> {
  const burst: Burst = { acknowledged: [], sent: [], failures: [] };
  let next = 0;
  let killing: Promise<void> | undefined;
  const lane = async () => {
    while (killing === undefined && next < BURST_REQUESTS) {
      const n = next++;
      const events: FeedbackEventInput[] = [0, 1].map((j) => ({
        songId: FIXTURE_SONG_IDS[(n * 2 + j) % FIXTURE_SONG_IDS.length],
        event: j === 0 ? 'play' : 'like',
        id: `b${n}-${j}`,
      }));
      burst.sent.push(events);
      try {
        const res = await postFeedback(api.baseUrl, user, events);
        if (res.status === 201) burst.acknowledged.push(...events.map((e) => e.id as string));
        else burst.failures.push(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
      } catch {
        // The connection died with the process: not acknowledged, so either outcome is allowed.
      }
      if (killing === undefined && burst.acknowledged.length >= KILL_AFTER_ACKS * 2) killing = api.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  await killing;
  return burst;
}

const stores: [name: string, env: () => Record<string, string>][] = [
  ['SQLite', () => ({})],
  [
    'PostgreSQL',
    () => ({ DATABASE_URL: SHARED_DATABASE_URL, DATABASE_SCHEMA: `e2e_crash_${randomBytes(4).toString('hex')}` }),
  ],
];

describe.each(stores)(
  'API killed with SIGKILL in a burst of feedback, %s store (e2e, built API)',
  (store, storeEnv) => {
    const dir = mkdtempSync(join(tmpdir(), 'encore-e2e-crash-'));
    const env: Record<string, string> = {
      CATALOG_PATH: writeFixtureCatalog(dir),
      ENCORE_DATA_DIR: join(dir, 'data'),
      ...storeEnv(),
    };
    const schema = env['DATABASE_SCHEMA'];
    let api: ApiProcess;

    beforeAll(async () => {
      api = await ApiProcess.start({ env });
    });
    afterAll(async () => {
      await api?.stop();
      rmSync(dir, { recursive: true, force: true });
      if (schema) {
        const client = new Client({ connectionString: SHARED_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    });

    it('still has every acknowledged event after a restart, and each event once', async () => {
      const user = await signUp(api.baseUrl, `burst-${store.toLowerCase()}`);
      const burst = await burstUntilKilled(api, user);
      expect(api.running).toBe(false);
      expect(burst.failures).toEqual([]);
      expect(burst.acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS * 2);
      // Killed mid-burst: some requests were in flight, and most were never sent.
      expect(burst.sent.length * 2).toBeGreaterThan(burst.acknowledged.length);
      expect(burst.sent.length).toBeLessThan(BURST_REQUESTS);

      await api.restart();
      const again = await signIn(api.baseUrl, user.username);
      const stored = await historyIds(api.baseUrl, again);
      expect(burst.acknowledged.filter((id) => !stored.includes(id))).toEqual([]);
      expect(new Set(stored).size).toBe(stored.length);
      const sentIds = new Set(burst.sent.flat().map((e) => e.id));
      expect(stored.filter((id) => !sentIds.has(id))).toEqual([]);

      // Resending the whole burst stores exactly what the crash left out.
      let accepted = 0;
      let duplicates = 0;
      const queue = [...burst.sent];
      const resend = async () => {
        for (let events = queue.shift(); events; events = queue.shift()) {
          const res = await postFeedback(api.baseUrl, again, events);
          expect(res.status).toBe(201);
          const body = res.body as { accepted: number; duplicates: number };
          accepted += body.accepted;
          duplicates += body.duplicates;
        }
      };
      await Promise.all(Array.from({ length: 4 }, resend));
      expect(duplicates).toBe(stored.length);
      expect(accepted).toBe(sentIds.size - stored.length);
      expect((await historyIds(api.baseUrl, again)).length).toBe(sentIds.size);
    });
  },
);
