import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { InvalidInteractionInputError, UsernameTakenError } from './lib/errors';
import type { InteractionBatch, InteractionStore, StoredInteraction } from './lib/interaction-store';

/** One isolated database (temp file, schema…) for one test. */
export interface InteractionStoreHarness {
  /** A new, not yet initialised store over this harness's database; every call shares the same data. */
  open(): Promise<InteractionStore>;
  /** Removes the database. Called after the suite has closed every store it opened. */
  dispose(): Promise<void>;
}

export function interaction(
  userId: string,
  songId: string,
  timestamp: number,
  extra: Partial<StoredInteraction> = {},
): StoredInteraction {
  return { userId, songId, event: 'play', weight: 1, timestamp, ...extra };
}

export async function collectBatches(batches: AsyncIterable<InteractionBatch>): Promise<InteractionBatch[]> {
  const out: InteractionBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const songsOf = (items: StoredInteraction[]) => items.map((i) => i.songId);

/**
 * Behaviour every `InteractionStore` must share, run against SQLite, PostgreSQL and DynamoDB (dynalite). `createHarness` gives each test
 * its own empty database.
 */
export function describeInteractionStoreContract(
  name: string,
  createHarness: () => InteractionStoreHarness | Promise<InteractionStoreHarness>,
): void {
  describe(`InteractionStore contract: ${name}`, () => {
    let harness: InteractionStoreHarness;
    let opened: InteractionStore[];
    let store: InteractionStore;

    const open = async (init = true) => {
      const s = await harness.open();
      opened.push(s);
      if (init) await s.init();
      return s;
    };

    beforeEach(async () => {
      harness = await createHarness();
      opened = [];
      store = await open();
    });

    afterEach(async () => {
      for (const s of opened) await s.close();
      await harness.dispose();
    });

    describe('migrations', () => {
      it('init is idempotent on one instance and across instances', async () => {
        await store.init();
        const second = await open();
        await second.init();
        expect(await second.countInteractions()).toBe(0);
        expect(await store.health()).toEqual({ ok: true });
      });

      it('several instances initialising a fresh database at once all succeed', async () => {
        await harness.dispose();
        harness = await createHarness();
        const replicas = await Promise.all([open(false), open(false), open(false)]);
        await Promise.all(replicas.map((r) => r.init()));
        expect(await replicas[0].appendInteractions([interaction('u1', 's1', 1)])).toBe(1);
        expect(await replicas[2].countInteractions()).toBe(1);
      });
    });

    describe('appendInteractions', () => {
      it('stores every field and counts per user and overall', async () => {
        const events: StoredInteraction[] = [
          { id: 'e1', userId: 'u1', songId: 's1', event: 'like', weight: 0.25, timestamp: 1_700_000_000_123 },
          { userId: 'u1', songId: 's2', event: 'skip', weight: -1, timestamp: 0 },
          { userId: 'u2', songId: 's1', event: 'dislike', weight: -2.5, timestamp: 42 },
        ];
        expect(await store.appendInteractions(events)).toBe(3);
        expect(await store.appendInteractions([])).toBe(0);
        expect(await store.countInteractions()).toBe(3);
        expect(await store.countInteractions('u1')).toBe(2);
        expect(await store.countInteractions('nobody')).toBe(0);
        const [all] = await collectBatches(store.allInteractions());
        expect(all.items).toEqual(events);
      });

      it('does not duplicate a retried batch, nor an id repeated inside one batch', async () => {
        const batch = [
          interaction('u1', 's1', 10, { id: 'a' }),
          interaction('u1', 's2', 20, { id: 'b' }),
          interaction('u1', 's3', 30, { id: 'a' }),
        ];
        expect(await store.appendInteractions(batch)).toBe(2);
        expect(await store.appendInteractions(batch)).toBe(0);
        expect(await store.appendInteractions([...batch, interaction('u1', 's4', 40, { id: 'c' })])).toBe(1);
        expect(songsOf((await store.history('u1', { limit: 10 })).items)).toEqual(['s4', 's2', 's1']);
      });

      it('scopes idempotency keys to the user and never deduplicates events without an id', async () => {
        expect(
          await store.appendInteractions([
            interaction('u1', 's1', 1, { id: 'x' }),
            interaction('u2', 's1', 1, { id: 'x' }),
          ]),
        ).toBe(2);
        expect(await store.appendInteractions([interaction('u1', 's1', 1), interaction('u1', 's1', 1)])).toBe(2);
        expect(await store.appendInteractions([interaction('u1', 's1', 1)])).toBe(1);
        expect(await store.countInteractions()).toBe(5);
      });

      it('rejects a batch with one malformed event and stores none of it', async () => {
        const bad = [
          interaction('u1', 's1', 1),
          { ...interaction('u1', 's2', 2), event: 'shuffle' as StoredInteraction['event'] },
        ];
        await expect(store.appendInteractions(bad)).rejects.toThrow(/events\[1\]\.event must be one of/);
        await expect(store.appendInteractions([interaction('u1', 's1', 1.5)])).rejects.toThrow(
          InvalidInteractionInputError,
        );
        await expect(store.appendInteractions([interaction('u1', 's1', 1, { weight: Number.NaN })])).rejects.toThrow(
          /weight/,
        );
        await expect(store.appendInteractions([interaction('', 's1', 1)])).rejects.toThrow(/userId/);
        expect(await store.countInteractions()).toBe(0);
      });

      it('keeps every event of concurrent appends, each exactly once in the feed', async () => {
        const writers = Array.from({ length: 20 }, (_, w) =>
          Array.from({ length: 25 }, (_, i) => interaction(`u${w % 4}`, `w${w}-${i}`, 1000 + i, { id: `w${w}-${i}` })),
        );
        // One incremental reader polls while the writers run, as a trainer following the log would.
        const seen: string[] = [];
        let cursor: string | undefined;
        const drain = async () => {
          for await (const batch of store.interactionsSince(cursor, { batchSize: 7 })) {
            seen.push(...songsOf(batch.items));
            cursor = batch.cursor;
          }
        };
        let writing = true;
        const reader = (async () => {
          while (writing) {
            await drain();
            await new Promise((resolve) => setImmediate(resolve));
          }
          await drain();
        })();
        const counts = await Promise.all(writers.map((batch) => store.appendInteractions(batch)));
        writing = false;
        await reader;
        expect(counts).toEqual(new Array(20).fill(25));
        expect(await store.countInteractions()).toBe(500);
        expect(seen).toHaveLength(500);
        expect(new Set(seen).size).toBe(500);
      });
    });

    describe('durability', () => {
      it('reads back what was acknowledged after the store is closed and reopened', async () => {
        await store.appendInteractions([interaction('u1', 's1', 1, { id: 'a' }), interaction('u1', 's2', 2)]);
        const user = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'admin' });
        await store.close();
        const reopened = await open();
        expect(await reopened.countInteractions()).toBe(2);
        expect(songsOf((await reopened.history('u1', { limit: 5 })).items)).toEqual(['s2', 's1']);
        expect(await reopened.findUserByName('ada')).toEqual(user);
        // The idempotency key survived too.
        expect(await reopened.appendInteractions([interaction('u1', 's1', 1, { id: 'a' })])).toBe(0);
      });
    });

    describe('history', () => {
      it('returns newest first, breaking timestamp ties by latest arrival, only for that user', async () => {
        await store.appendInteractions([
          interaction('u1', 'old', 100),
          interaction('u1', 'tie-first', 200),
          interaction('u2', 'someone else', 300),
          interaction('u1', 'newest', 300),
        ]);
        await store.appendInteractions([interaction('u1', 'tie-second', 200)]);
        const page = await store.history('u1', { limit: 10 });
        expect(songsOf(page.items)).toEqual(['newest', 'tie-second', 'tie-first', 'old']);
        expect(page.nextCursor).toBeUndefined();
        expect(await store.history('nobody', { limit: 10 })).toEqual({ items: [] });
      });

      it('pages with a cursor without gaps or overlaps, even when newer events arrive in between', async () => {
        await store.appendInteractions(
          Array.from({ length: 7 }, (_, i) => interaction('u1', `s${i}`, 1000 + (i >> 1))),
        );
        const first = await store.history('u1', { limit: 3 });
        expect(songsOf(first.items)).toEqual(['s6', 's5', 's4']);
        await store.appendInteractions([interaction('u1', 'late', 5000)]);
        const second = await store.history('u1', { limit: 3, before: first.nextCursor });
        expect(songsOf(second.items)).toEqual(['s3', 's2', 's1']);
        const third = await store.history('u1', { limit: 3, before: second.nextCursor });
        expect(songsOf(third.items)).toEqual(['s0']);
        expect(third.nextCursor).toBeUndefined();
      });

      it('announces a next page only when one exists', async () => {
        await store.appendInteractions([interaction('u1', 'a', 1), interaction('u1', 'b', 2)]);
        expect((await store.history('u1', { limit: 2 })).nextCursor).toBeUndefined();
        expect((await store.history('u1', { limit: 1 })).nextCursor).toEqual(expect.any(String));
      });

      it('rejects a bad limit or cursor', async () => {
        await expect(store.history('u1', { limit: 0 })).rejects.toThrow(/limit must be an integer in 1…1000/);
        await expect(store.history('u1', { limit: 1001 })).rejects.toThrow(InvalidInteractionInputError);
        await expect(store.history('u1', { limit: 5, before: 'yesterday' })).rejects.toThrow(
          /malformed history cursor/,
        );
      });
    });

    describe('interactionsSince', () => {
      it('yields nothing for an empty store', async () => {
        expect(await collectBatches(store.allInteractions())).toEqual([]);
      });

      it('streams in arrival order in batches and resumes after a cursor', async () => {
        await store.appendInteractions(Array.from({ length: 5 }, (_, i) => interaction('u1', `s${i}`, 100 - i)));
        const batches = await collectBatches(store.allInteractions({ batchSize: 2 }));
        expect(batches.map((b) => songsOf(b.items))).toEqual([['s0', 's1'], ['s2', 's3'], ['s4']]);
        expect(
          songsOf((await collectBatches(store.interactionsSince(batches[0].cursor))).flatMap((b) => b.items)),
        ).toEqual(['s2', 's3', 's4']);

        const last = batches[batches.length - 1].cursor;
        expect(await collectBatches(store.interactionsSince(last))).toEqual([]);
        await store.appendInteractions([interaction('u2', 'later', 1)]);
        const more = await collectBatches(store.interactionsSince(last));
        expect(more.map((b) => songsOf(b.items))).toEqual([['later']]);
      });

      it('rejects a malformed cursor or batch size', async () => {
        await expect(collectBatches(store.interactionsSince('not-a-cursor'))).rejects.toThrow(
          /malformed stream cursor/,
        );
        await expect(collectBatches(store.allInteractions({ batchSize: 0 }))).rejects.toThrow(
          InvalidInteractionInputError,
        );
      });
    });

    describe('users', () => {
      it('creates a user with defaults and finds it by name and id', async () => {
        const user = await store.createUser({ username: 'ada', passwordHash: 'scrypt$abc', role: 'listener' });
        expect(user).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          username: 'ada',
          passwordHash: 'scrypt$abc',
          role: 'listener',
          createdAt: expect.any(Number),
          tokenVersion: 0,
        });
        expect(await store.findUserByName('ada')).toEqual(user);
        expect(await store.findUserById(user.id)).toEqual(user);
        expect(await store.findUserByName('grace')).toBeUndefined();
        expect(await store.findUserById('missing')).toBeUndefined();
        const given = await store.createUser({
          id: 'u-7',
          username: 'grace',
          passwordHash: 'h',
          role: 'admin',
          createdAt: 1234,
        });
        expect(await store.findUserById('u-7')).toEqual({ ...given, createdAt: 1234, tokenVersion: 0 });
      });

      it('refuses a taken username with a typed error, comparing names exactly', async () => {
        await store.createUser({ username: 'ada', passwordHash: 'h1', role: 'listener' });
        const attempt = store.createUser({ username: 'ada', passwordHash: 'h2', role: 'admin' });
        await expect(attempt).rejects.toBeInstanceOf(UsernameTakenError);
        await expect(attempt).rejects.toMatchObject({ username: 'ada', message: 'username "ada" is already taken' });
        await store.createUser({ username: 'Ada', passwordHash: 'h3', role: 'listener' });
        expect((await store.findUserByName('ada'))?.passwordHash).toBe('h1');
        await expect(store.createUser({ username: '', passwordHash: 'h', role: 'listener' })).rejects.toThrow(
          /username/,
        );
      });

      it('bumps the token version and reports a missing user', async () => {
        const user = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'listener' });
        expect(await store.bumpTokenVersion(user.id)).toBe(1);
        expect(await store.bumpTokenVersion(user.id)).toBe(2);
        expect((await store.findUserById(user.id))?.tokenVersion).toBe(2);
        expect(await store.bumpTokenVersion('missing')).toBeUndefined();
      });

      it('replaces the password hash and bumps the token version together, touching only that user', async () => {
        const ada = await store.createUser({ username: 'ada', passwordHash: 'old', role: 'listener' });
        const bob = await store.createUser({ username: 'bob', passwordHash: 'bobs', role: 'listener' });
        await store.bumpTokenVersion(ada.id);
        expect(await store.updatePasswordHash(ada.id, 'new')).toBe(2);
        expect(await store.findUserById(ada.id)).toEqual({ ...ada, passwordHash: 'new', tokenVersion: 2 });
        expect(await store.findUserByName('ada')).toEqual({ ...ada, passwordHash: 'new', tokenVersion: 2 });
        expect(await store.updatePasswordHash(ada.id, 'newer')).toBe(3);
        expect((await store.findUserById(ada.id))?.passwordHash).toBe('newer');
        expect(await store.findUserById(bob.id)).toEqual(bob);
        expect(await store.updatePasswordHash('missing', 'h')).toBeUndefined();
        expect(await store.findUserById('missing')).toBeUndefined();
      });

      it('deletes a user together with their interactions only', async () => {
        const ada = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'listener' });
        const bob = await store.createUser({ username: 'bob', passwordHash: 'h', role: 'listener' });
        await store.appendInteractions([
          interaction(ada.id, 's1', 1),
          interaction(bob.id, 's1', 1),
          interaction(ada.id, 's2', 2),
        ]);
        expect(await store.deleteUser(ada.id)).toBe(true);
        expect(await store.deleteUser(ada.id)).toBe(false);
        expect(await store.findUserByName('ada')).toBeUndefined();
        expect(await store.countInteractions(ada.id)).toBe(0);
        expect(await store.countInteractions(bob.id)).toBe(1);
        // The name is free again.
        expect((await store.createUser({ username: 'ada', passwordHash: 'h', role: 'listener' })).username).toBe('ada');
      });
    });
  });
}

/** Static credentials for dynalite (it checks none, but the SDK signs every request). */
export const DYNALITE_CREDENTIALS = { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' };

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`: pass as the client endpoint (DYNAMODB_ENDPOINT for the API). */
  endpoint: string;
  /** Everything a DynamoDBClient needs to talk to it. */
  clientConfig: { endpoint: string; region: string; credentials: typeof DYNALITE_CREDENTIALS; maxAttempts: number };
  close(): Promise<void>;
}

/**
 * dynalite in a child process: it gets a core of its own instead of sharing the test's event loop, and it exits
 * when its stdin closes, so a crashed test run cannot leave it behind.
 */
const DYNALITE_SCRIPT = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', (error) => {
  if (error) throw error;
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/** An in-memory DynamoDB (dynalite) on a free loopback port, with tables ACTIVE as soon as they are created. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const child = spawn(process.execPath, ['-e', DYNALITE_SCRIPT], {
    cwd: dirname(require.resolve('dynalite/package.json')),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out) as { port: number }).port);
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', credentials: DYNALITE_CREDENTIALS, maxAttempts: 2 },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
