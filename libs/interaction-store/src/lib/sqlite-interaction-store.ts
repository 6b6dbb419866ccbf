import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { StoreUnavailableError, UsernameTakenError } from './errors';
import {
  InteractionStore,
  type HistoryOptions,
  type HistoryPage,
  type InteractionBatch,
  type NewUser,
  type StoreHealth,
  type StoredInteraction,
  type StreamOptions,
  type UserRecord,
} from './interaction-store';
import { MIGRATIONS } from './migrations';
import {
  INTERACTION_COLUMNS,
  pageOf,
  toInteraction,
  toUser,
  USER_COLUMNS,
  type InteractionRow,
  type UserRow,
} from './rows';
import {
  batchSizeOf,
  decodeHistoryCursor,
  decodeStreamCursor,
  validateHistoryOptions,
  validateInteractions,
  validateNewUser,
} from './validation';

export interface SqliteInteractionStoreOptions {
  /** Database file (created when missing; its directory must exist), or `:memory:` for tests. */
  path: string;
  /** How long a write waits for another connection's write lock before giving up. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Suggested client back-off when the database is locked or the disk fails. Default 5 s. */
  retryAfterSeconds?: number;
}

/** Errors that mean "try again later", not "your request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOLFS)/;

/**
 * Single-file store, the default for one API instance (several processes on one host also work: WAL readers
 * never block the writer, and writers queue on the busy timeout).
 *
 * `synchronous=FULL`: in WAL mode NORMAL skips the fsync at each commit, so a power loss or OS crash can roll back
 * transactions that were already acknowledged; FULL fsyncs the WAL before a commit returns, which is what
 * "acknowledged ⇒ on disk" requires. The cost is one fsync per `appendInteractions` call, amortised by batching.
 *
 * better-sqlite3 is synchronous; each call is short (indexed, bounded by `limit`/`batchSize`), so the event loop
 * is only held for about as long as an await on a network database would take to schedule.
 */
export class SqliteInteractionStore extends InteractionStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly retryAfterSeconds: number;

  constructor(options: SqliteInteractionStoreOptions) {
    super();
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
    this.db = this.guard(() => {
      const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      return db;
    });
  }

  async init(): Promise<void> {
    this.guard(() =>
      // IMMEDIATE takes the write lock up front, so two processes starting together run the migrations one after
      // the other and the second finds nothing to do.
      this.db
        .transaction(() => {
          this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
          const applied = new Set(this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
          const record = this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
          for (const migration of MIGRATIONS) {
            if (applied.has(migration.version)) continue;
            this.db.exec(migration.sqlite);
            record.run(migration.version, migration.name, Date.now());
          }
        })
        .immediate(),
    );
  }

  async appendInteractions(events: readonly StoredInteraction[]): Promise<number> {
    validateInteractions(events);
    if (events.length === 0) return 0;
    const insert = this.statement(
      `INSERT INTO interactions (event_id, user_id, song_id, event, weight, ts) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, event_id) DO NOTHING`,
    );
    return this.guard(() =>
      this.db.transaction(() => {
        let inserted = 0;
        for (const e of events) {
          inserted += insert.run(e.id ?? null, e.userId, e.songId, e.event, e.weight, e.timestamp).changes;
        }
        return inserted;
      })(),
    );
  }

  async history(userId: string, options: HistoryOptions): Promise<HistoryPage> {
    validateHistoryOptions(options);
    const rows = this.guard(() => {
      if (options.before === undefined) {
        return this.statement(
          `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE user_id = ? ORDER BY ts DESC, seq DESC LIMIT ?`,
        ).all(userId, options.limit + 1) as InteractionRow[];
      }
      const { timestamp, seq } = decodeHistoryCursor(options.before);
      return this.db
        .prepare(
          `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE user_id = ? AND (ts, seq) < (?, ?)
           ORDER BY ts DESC, seq DESC LIMIT ?`,
        )
        .all(userId, timestamp, BigInt(seq), options.limit + 1) as InteractionRow[];
    });
    return pageOf(rows, options.limit);
  }

  async *interactionsSince(cursor: string | undefined, options?: StreamOptions): AsyncIterable<InteractionBatch> {
    const batchSize = batchSizeOf(options);
    let after = BigInt(decodeStreamCursor(cursor));
    const select = this.db.prepare(
      `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    for (;;) {
      const rows = this.guard(() => select.all(after, batchSize) as InteractionRow[]);
      if (rows.length === 0) return;
      after = BigInt(rows[rows.length - 1].seq);
      yield { items: rows.map(toInteraction), cursor: after.toString() };
      if (rows.length < batchSize) return;
    }
  }

  async countInteractions(userId?: string): Promise<number> {
    return this.guard(() =>
      userId === undefined
        ? (this.db.prepare('SELECT count(*) FROM interactions').pluck().get() as number)
        : (this.db.prepare('SELECT count(*) FROM interactions WHERE user_id = ?').pluck().get(userId) as number),
    );
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    validateNewUser(user);
    const record: UserRecord = {
      id: user.id ?? randomUUID(),
      username: user.username,
      passwordHash: user.passwordHash,
      role: user.role,
      createdAt: user.createdAt ?? Date.now(),
      tokenVersion: 0,
    };
    try {
      this.guard(() =>
        this.db
          .prepare(
            `INSERT INTO users (id, username, password_hash, role, created_at, token_version) VALUES (?, ?, ?, ?, ?, 0)`,
          )
          .run(record.id, record.username, record.passwordHash, record.role, record.createdAt),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'users.username')) throw new UsernameTakenError(user.username);
      throw error;
    }
    return record;
  }

  async findUserByName(username: string): Promise<UserRecord | undefined> {
    return this.findUser('username', username);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    return this.findUser('id', id);
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.guard(() =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM interactions WHERE user_id = ?').run(id);
        return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
      })(),
    );
  }

  async bumpTokenVersion(id: string): Promise<number | undefined> {
    return this.guard(
      () =>
        this.db
          .prepare('UPDATE users SET token_version = token_version + 1 WHERE id = ? RETURNING token_version')
          .pluck()
          .get(id) as number | undefined,
    );
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<number | undefined> {
    return this.guard(
      () =>
        this.db
          .prepare(
            'UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ? RETURNING token_version',
          )
          .pluck()
          .get(passwordHash, id) as number | undefined,
    );
  }

  async health(): Promise<StoreHealth> {
    try {
      this.db.prepare('SELECT count(*) FROM schema_migrations').get();
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: `sqlite: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * Prepared once per SQL text: compiling a statement costs more than running these point queries, and the user
   * lookup runs on every authenticated request. Only for statements used without `.pluck()`/`.raw()` modes.
   */
  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private findUser(column: 'id' | 'username', value: string): UserRecord | undefined {
    const row = this.guard(
      () => this.statement(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = ?`).get(value) as UserRow | undefined,
    );
    return row === undefined ? undefined : toUser(row);
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
        throw new StoreUnavailableError(
          `SQLite unavailable (${code}): ${(error as Error).message}`,
          this.retryAfterSeconds,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown, column: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes(column);
}
