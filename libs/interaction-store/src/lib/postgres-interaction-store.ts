import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { NETWORK_ERROR_CODES, StoreUnavailableError, UsernameTakenError } from './errors';
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

export interface PostgresInteractionStoreOptions {
  /** `postgres://user:pass@host:port/db`. */
  connectionString: string;
  /** Schema holding the tables; `init()` creates it when missing. Default `public`. */
  schema?: string;
  /** Default 10. */
  poolSize?: number;
  /** Fail (→ `StoreUnavailableError`) instead of queueing when no connection is made within this time. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Server-side cap per statement. Default 15 000 ms. */
  statementTimeoutMs?: number;
  /** Suggested client back-off carried by `StoreUnavailableError`. Default 5 s. */
  retryAfterSeconds?: number;
}

/** Network failures, connection-exception class 08, shutdown/startup, resource exhaustion and statement timeout. */
const UNAVAILABLE_CODES = new Set([
  ...NETWORK_ERROR_CODES,
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53000',
  '53100',
  '53200',
  '53300',
]);
const UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|server closed the connection/i;

/**
 * PostgreSQL store for several API replicas.
 *
 * Appends serialise on a per-schema advisory lock held until commit. That makes the arrival sequence equal to commit
 * order, so the training feed can page by `seq > cursor` without ever skipping a row that a slower concurrent
 * transaction committed later with a smaller number. Batched appends keep that single-writer section short.
 * `synchronous_commit=on` is forced per session so that a server-wide `off` cannot weaken "acknowledged ⇒ durable".
 */
export class PostgresInteractionStore extends InteractionStore {
  private readonly pool: Pool;
  private readonly schema: string;
  private readonly retryAfterSeconds: number;
  private closed = false;

  constructor(options: PostgresInteractionStoreOptions) {
    super();
    this.schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) {
      throw new RangeError(`schema must be a lower-case SQL identifier, got ${JSON.stringify(this.schema)}`);
    }
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
      idleTimeoutMillis: 30_000,
      options: `-c search_path=${this.schema} -c synchronous_commit=on -c statement_timeout=${options.statementTimeoutMs ?? 15_000}`,
    });
    // An idle connection dropped by a restarting server is reported here; the next query reconnects or fails clearly.
    this.pool.on('error', () => undefined);
  }

  async init(): Promise<void> {
    await this.transaction(async (client) => {
      // Replicas starting together queue here; each then sees what the previous one applied.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `encore:interaction-store:migrate:${this.schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      }
    });
  }

  async appendInteractions(events: readonly StoredInteraction[]): Promise<number> {
    validateInteractions(events);
    if (events.length === 0) return 0;
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `encore:interaction-store:append:${this.schema}`,
      ]);
      // One statement for the whole batch: column arrays instead of 6 × n placeholders.
      const result = await client.query(
        `INSERT INTO interactions (event_id, user_id, song_id, event, weight, ts)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int8[])
         ON CONFLICT (user_id, event_id) DO NOTHING`,
        [
          events.map((e) => e.id ?? null),
          events.map((e) => e.userId),
          events.map((e) => e.songId),
          events.map((e) => e.event),
          events.map((e) => e.weight),
          events.map((e) => e.timestamp),
        ],
      );
      return result.rowCount ?? 0;
    });
  }

  async history(userId: string, options: HistoryOptions): Promise<HistoryPage> {
    validateHistoryOptions(options);
    if (options.before === undefined) {
      const { rows } = await this.query<InteractionRow>(
        `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE user_id = $1 ORDER BY ts DESC, seq DESC LIMIT $2`,
        [userId, options.limit + 1],
      );
      return pageOf(rows, options.limit);
    }
    const { timestamp, seq } = decodeHistoryCursor(options.before);
    const { rows } = await this.query<InteractionRow>(
      `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE user_id = $1 AND (ts, seq) < ($2::int8, $3::int8)
       ORDER BY ts DESC, seq DESC LIMIT $4`,
      [userId, timestamp, seq, options.limit + 1],
    );
    return pageOf(rows, options.limit);
  }

  async *interactionsSince(cursor: string | undefined, options?: StreamOptions): AsyncIterable<InteractionBatch> {
    const batchSize = batchSizeOf(options);
    let after = decodeStreamCursor(cursor);
    for (;;) {
      const { rows } = await this.query<InteractionRow>(
        `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE seq > $1::int8 ORDER BY seq LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) return;
      after = String(rows[rows.length - 1].seq);
      yield { items: rows.map(toInteraction), cursor: after };
      if (rows.length < batchSize) return;
    }
  }

  async countInteractions(userId?: string): Promise<number> {
    const { rows } =
      userId === undefined
        ? await this.query<{ n: string }>('SELECT count(*) AS n FROM interactions')
        : await this.query<{ n: string }>('SELECT count(*) AS n FROM interactions WHERE user_id = $1', [userId]);
    return Number(rows[0].n);
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
      await this.query(
        `INSERT INTO users (id, username, password_hash, role, created_at, token_version) VALUES ($1, $2, $3, $4, $5, 0)`,
        [record.id, record.username, record.passwordHash, record.role, record.createdAt],
      );
    } catch (error) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      if (code === '23505' && constraint === 'users_username_key') throw new UsernameTakenError(user.username);
      throw error;
    }
    return record;
  }

  async findUserByName(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
    return rows.length === 0 ? undefined : toUser(rows[0]);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const { rows } = await this.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows.length === 0 ? undefined : toUser(rows[0]);
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('DELETE FROM interactions WHERE user_id = $1', [id]);
      const result = await client.query('DELETE FROM users WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  async bumpTokenVersion(id: string): Promise<number | undefined> {
    const { rows } = await this.query<{ token_version: number }>(
      'UPDATE users SET token_version = token_version + 1 WHERE id = $1 RETURNING token_version',
      [id],
    );
    return rows.length === 0 ? undefined : rows[0].token_version;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<number | undefined> {
    const { rows } = await this.query<{ token_version: number }>(
      'UPDATE users SET password_hash = $1, token_version = token_version + 1 WHERE id = $2 RETURNING token_version',
      [passwordHash, id],
    );
    return rows.length === 0 ? undefined : rows[0].token_version;
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.query('SELECT count(*) FROM schema_migrations');
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: `postgres: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw this.translate(error);
    }
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw this.translate(error);
    } finally {
      // A connection that cannot even roll back is discarded rather than handed to the next caller.
      client.release(broken);
    }
  }

  private translate(error: unknown): unknown {
    if (error instanceof StoreUnavailableError || error instanceof UsernameTakenError) return error;
    const { code, message } = error as { code?: unknown; message?: unknown };
    const unavailable =
      (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
      (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message));
    return unavailable
      ? new StoreUnavailableError(`PostgreSQL unavailable: ${String(message)}`, this.retryAfterSeconds, {
          cause: error,
        })
      : error;
  }
}
