import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, SAMPLE_CATALOG_PATH, validateEnvironment } from './environment';
import { parseEventWeights } from './platform-settings';

describe('platform settings (storage, cache, auth, limits)', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'encore-platform-env-'));
    mkdirSync(join(root, 'data/sample'), { recursive: true });
    writeFileSync(join(root, SAMPLE_CATALOG_PATH), 'track_id\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function problemsOf(raw: Record<string, string>): string[] {
    try {
      validateEnvironment(raw, { cwd: root });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).problems;
    }
    throw new Error('expected a ConfigurationError');
  }

  it('converts numbers and booleans, resolves the data directory and normalises the admin name', () => {
    const env = validateEnvironment(
      {
        ENCORE_DATA_DIR: 'state',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        REDIS_URL: 'redis://127.0.0.1:6379',
        CACHE_TTL_SECONDS: '60',
        RATE_LIMIT_PER_MINUTE: '5',
        METRICS_PUBLIC: 'FALSE',
        MAX_EVENTS_PER_BATCH: '10',
        ENCORE_ADMIN_USER: ' Root ',
        ENCORE_ADMIN_PASSWORD: 'a-long-secret-1',
        JWT_SECRET: 'x'.repeat(32),
      },
      { cwd: root },
    );
    expect(env).toMatchObject({
      ENCORE_DATA_DIR: join(root, 'state'),
      CACHE_TTL_SECONDS: 60,
      RATE_LIMIT_PER_MINUTE: 5,
      METRICS_PUBLIC: false,
      MAX_EVENTS_PER_BATCH: 10,
      ENCORE_ADMIN_USER: 'root',
      // PostgreSQL deployments do not get demo data unless they ask for it.
      DEMO_LISTENERS: false,
    });
    expect(
      validateEnvironment({ DEMO_LISTENERS: 'yes', DATABASE_URL: 'postgresql://db/x' }, { cwd: root }).DEMO_LISTENERS,
    ).toBe(true);
    expect(validateEnvironment({ DEMO_LISTENERS: '0' }, { cwd: root }).DEMO_LISTENERS).toBe(false);
  });

  it.each([
    ['CACHE_TTL_SECONDS', '0', 'CACHE_TTL_SECONDS must be an integer between 1 and 86400 (got 0)'],
    ['RATE_LIMIT_PER_MINUTE', 'lots', 'RATE_LIMIT_PER_MINUTE must be an integer between 1 and 1000000 (got "lots")'],
    ['METRICS_PUBLIC', 'maybe', 'METRICS_PUBLIC must be true or false (got "maybe")'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")'],
    ['REDIS_URL', '127.0.0.1:6379', 'REDIS_URL must be a redis:// or rediss:// URL (got "127.0.0.1:6379")'],
    [
      'JWT_EXPIRES_IN_SECONDS',
      '5',
      'JWT_EXPIRES_IN_SECONDS must be an integer between 60 and 2592000 (30 days) (got 5)',
    ],
    ['DATABASE_SCHEMA', 'Drop Table', 'DATABASE_SCHEMA must be a lower-case SQL identifier (got "Drop Table")'],
    [
      'EVENT_WEIGHTS',
      'play=1,love=9',
      'EVENT_WEIGHTS names unknown event "love" (known: play, like, skip, dislike) (got "play=1,love=9")',
    ],
  ])('rejects %s=%s naming the variable', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([problem]);
  });

  it('never echoes a secret in an error message', () => {
    const problems = problemsOf({ JWT_SECRET: 'short-secret' });
    expect(problems).toEqual(['JWT_SECRET must be at least 32 characters (got a secret of 12 characters)']);
    expect(problems.join()).not.toContain('short-secret');
  });

  it('requires the admin variables together and applies the registration rules to them', () => {
    expect(problemsOf({ ENCORE_ADMIN_USER: 'root' })).toEqual([
      'ENCORE_ADMIN_USER and ENCORE_ADMIN_PASSWORD must be set together (or neither)',
    ]);
    const problems = problemsOf({ ENCORE_ADMIN_USER: 'r', ENCORE_ADMIN_PASSWORD: 'password' });
    expect(problems).toEqual([
      'ENCORE_ADMIN_USER must be 3 to 32 characters of a-z, 0-9, _ . - (got "r")',
      expect.stringMatching(
        /^ENCORE_ADMIN_PASSWORD must be 10 to 128 characters with at least one letter and one digit/,
      ),
    ]);
    expect(problems.join()).not.toContain('password ');
  });

  it('picks the interaction store: postgres with DATABASE_URL, else sqlite, unless INTERACTION_STORE says otherwise', () => {
    expect(validateEnvironment({}, { cwd: root })).toMatchObject({ INTERACTION_STORE: 'sqlite', DEMO_LISTENERS: true });
    expect(validateEnvironment({ DATABASE_URL: 'postgres://db/x' }, { cwd: root }).INTERACTION_STORE).toBe('postgres');
    expect(
      validateEnvironment(
        {
          INTERACTION_STORE: 'dynamodb',
          DYNAMODB_TABLE_PREFIX: 'prod.encore_',
          DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
        },
        { cwd: root },
      ),
    ).toMatchObject({
      INTERACTION_STORE: 'dynamodb',
      DYNAMODB_TABLE_PREFIX: 'prod.encore_',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
      // Like PostgreSQL, a DynamoDB deployment starts without demo data unless asked.
      DEMO_LISTENERS: false,
    });
    expect(
      validateEnvironment({ INTERACTION_STORE: 'sqlite', DATABASE_URL: 'postgres://db/x' }, { cwd: root }),
    ).toMatchObject({
      INTERACTION_STORE: 'sqlite',
      DEMO_LISTENERS: true,
    });
    expect(validateEnvironment({}, { cwd: root }).DYNAMODB_TABLE_PREFIX).toBe('encore-');
  });

  it.each([
    ['INTERACTION_STORE', 'mongo', 'INTERACTION_STORE must be one of sqlite, postgres, dynamodb (got "mongo")'],
    ['INTERACTION_STORE', 'postgres', 'DATABASE_URL is required when INTERACTION_STORE=postgres'],
    [
      'DYNAMODB_TABLE_PREFIX',
      'my tables',
      'DYNAMODB_TABLE_PREFIX must be up to 200 characters of A-Z a-z 0-9 _ . - (got "my tables")',
    ],
    [
      'DYNAMODB_ENDPOINT',
      'localhost:8000',
      'DYNAMODB_ENDPOINT must be an http:// or https:// URL (got "localhost:8000")',
    ],
  ])('rejects %s=%s naming the variable', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([problem]);
  });
});

describe('parseEventWeights', () => {
  it('overrides the defaults it names and keeps the others', () => {
    expect(parseEventWeights('')).toEqual({ play: 1, like: 4, skip: -1, dislike: -4 });
    expect(parseEventWeights('like=5, skip = -0.5')).toEqual({ play: 1, like: 5, skip: -0.5, dislike: -4 });
  });

  it('refuses malformed pairs and absurd weights', () => {
    expect(() => parseEventWeights('play:1')).toThrow(/event=number pairs/);
    expect(() => parseEventWeights('play=')).toThrow(/event=number pairs/);
    expect(() => parseEventWeights('like=1e9')).toThrow(/event=number pairs/);
    expect(() => parseEventWeights('like=5000')).toThrow('weight of like must be between -1000 and 1000');
  });
});
