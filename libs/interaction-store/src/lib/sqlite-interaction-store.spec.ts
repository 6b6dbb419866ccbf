import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeInteractionStoreContract, interaction } from '../testing';
import { StoreUnavailableError } from './errors';
import { SqliteInteractionStore } from './sqlite-interaction-store';

describeInteractionStoreContract('sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-store-'));
  return {
    open: async () => new SqliteInteractionStore({ path: join(dir, 'interactions.db') }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteInteractionStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'encore-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the file in WAL mode and records each migration once', async () => {
    const path = join(dir, 'interactions.db');
    const store = new SqliteInteractionStore({ path });
    await store.init();
    await store.init();
    await store.close();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
        { version: 1, name: 'interactions and users' },
      ]);
    } finally {
      raw.close();
    }
  });

  it('works in memory for tests', async () => {
    const store = new SqliteInteractionStore({ path: ':memory:' });
    await store.init();
    expect(await store.appendInteractions([interaction('u1', 's1', 1)])).toBe(1);
    expect(await store.countInteractions()).toBe(1);
    await store.close();
  });

  it('reports a write lock held too long as unavailable, and writes once it is released', async () => {
    const path = join(dir, 'interactions.db');
    const store = new SqliteInteractionStore({ path, busyTimeoutMs: 20, retryAfterSeconds: 2 });
    await store.init();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const attempt = store.appendInteractions([interaction('u1', 's1', 1)]);
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toMatchObject({
        retryAfterSeconds: 2,
        message: expect.stringMatching(/SQLITE_BUSY/),
      });
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    expect(await store.appendInteractions([interaction('u1', 's1', 1)])).toBe(1);
    expect(await store.health()).toEqual({ ok: true });
    await store.close();
    expect((await store.health()).ok).toBe(false);
  });

  it('fails fast on a path whose directory does not exist (a configuration error, not an outage)', () => {
    expect(() => new SqliteInteractionStore({ path: join(dir, 'missing-dir', 'x.db') })).toThrow(
      /directory does not exist/,
    );
  });
});
