import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Pool } from 'pg';
import { describeInteractionStoreContract, interaction } from '../testing';
import { StoreUnavailableError } from './errors';
import { MIGRATIONS } from './migrations';
import { PostgresInteractionStore } from './postgres-interaction-store';

// Real PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`). Every harness works in its own schema, dropped
// afterwards, so parallel runs never share tables.
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
let admin: Pool;

const uniqueSchema = () => `encore_test_${randomBytes(6).toString('hex')}`;
const dropSchema = async (schema: string) => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
};

beforeAll(() => {
  admin = new Pool({ connectionString: DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await admin.end();
});

describeInteractionStoreContract('postgres', () => {
  const schema = uniqueSchema();
  return {
    open: async () => new PostgresInteractionStore({ connectionString: DATABASE_URL, schema, poolSize: 4 }),
    dispose: () => dropSchema(schema),
  };
});

describe('PostgresInteractionStore', () => {
  it('applies each migration exactly once when several replicas start together', async () => {
    const schema = uniqueSchema();
    const replicas = Array.from(
      { length: 4 },
      () => new PostgresInteractionStore({ connectionString: DATABASE_URL, schema, poolSize: 2 }),
    );
    try {
      await Promise.all(replicas.map((r) => r.init()));
      const { rows } = await admin.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await dropSchema(schema);
    }
  });

  it('keeps its tables in its own schema', async () => {
    const schema = uniqueSchema();
    const store = new PostgresInteractionStore({ connectionString: DATABASE_URL, schema });
    try {
      await store.init();
      await store.appendInteractions([interaction('u1', 's1', 1)]);
      const { rows } = await admin.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual(['interactions', 'schema_migrations', 'users']);
      expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.interactions`)).rows[0].n).toBe(1);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('turns an unreachable database into StoreUnavailableError with retry advice', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));

    const store = new PostgresInteractionStore({
      connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
      retryAfterSeconds: 7,
    });
    try {
      await expect(store.init()).rejects.toBeInstanceOf(StoreUnavailableError);
      const append = store.appendInteractions([interaction('u1', 's1', 1)]);
      await expect(append).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(append).rejects.toMatchObject({
        retryAfterSeconds: 7,
        message: expect.stringMatching(/ECONNREFUSED/),
      });
      await expect(store.findUserByName('ada')).rejects.toBeInstanceOf(StoreUnavailableError);
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toMatch(/^postgres: /);
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(
      () => new PostgresInteractionStore({ connectionString: DATABASE_URL, schema: 'x; DROP TABLE users' }),
    ).toThrow(/schema must be a lower-case SQL identifier/);
  });
});
