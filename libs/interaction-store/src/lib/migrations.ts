export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/**
 * Append-only: a released migration is never edited, a change is a new version. Each runs once, inside the same
 * transaction as its `schema_migrations` row.
 *
 * `seq` is the arrival order the training feed pages through. SQLite needs AUTOINCREMENT so a deleted tail is never
 * reused (a reused number could hide behind a cursor already handed out); a PostgreSQL identity never goes back.
 * The (user_id, event_id) unique constraint is the idempotency key; NULL ids never conflict.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'interactions and users',
    sqlite: `
      CREATE TABLE interactions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT,
        user_id TEXT NOT NULL,
        song_id TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('play', 'like', 'skip', 'dislike')),
        weight REAL NOT NULL,
        ts INTEGER NOT NULL,
        CONSTRAINT interactions_user_event_id UNIQUE (user_id, event_id)
      );
      CREATE INDEX interactions_user_time ON interactions (user_id, ts DESC, seq DESC);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('listener', 'admin')),
        created_at INTEGER NOT NULL,
        token_version INTEGER NOT NULL DEFAULT 0
      );`,
    postgres: `
      CREATE TABLE interactions (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id TEXT,
        user_id TEXT NOT NULL,
        song_id TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('play', 'like', 'skip', 'dislike')),
        weight DOUBLE PRECISION NOT NULL,
        ts BIGINT NOT NULL,
        CONSTRAINT interactions_user_event_id UNIQUE (user_id, event_id)
      );
      CREATE INDEX interactions_user_time ON interactions (user_id, ts DESC, seq DESC);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('listener', 'admin')),
        created_at BIGINT NOT NULL,
        token_version INTEGER NOT NULL DEFAULT 0
      );`,
  },
];
