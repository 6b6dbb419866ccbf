import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_TABLE,
  ConfigurationError,
  corsOrigins,
  enabledLogLevels,
  Environment,
  SAMPLE_CATALOG_PATH,
  validateEnvironment,
} from './environment';

describe('validateEnvironment', () => {
  let root: string;
  let catalog: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'encore-env-'));
    catalog = join(root, SAMPLE_CATALOG_PATH);
    mkdirSync(join(root, 'data/sample'), { recursive: true });
    mkdirSync(join(root, 'dist/apps/api'), { recursive: true });
    writeFileSync(catalog, 'track_id\n');
    writeFileSync(join(root, 'other.csv'), 'track_id\n');
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

  it('applies the defaults and resolves paths against the working directory', () => {
    const env = validateEnvironment({}, { cwd: root });
    expect({ ...env }).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      CATALOG_PATH: catalog,
      DASHBOARD_DIR: join(root, 'dist/apps/dashboard'),
      LOG_LEVEL: 'log',
      ENCORE_DATA_DIR: join(root, 'var'),
      DATABASE_SCHEMA: 'public',
      INTERACTION_STORE: 'sqlite',
      DYNAMODB_TABLE_PREFIX: 'encore-',
      REDIS_KEY_PREFIX: 'encore:',
      CACHE_TTL_SECONDS: 300,
      JWT_EXPIRES_IN_SECONDS: 3600,
      RATE_LIMIT_PER_MINUTE: 600,
      METRICS_PUBLIC: true,
      EVENT_WEIGHTS: 'play=1,like=4,skip=-1,dislike=-4',
      MAX_EVENTS_PER_BATCH: 100,
      PASSWORD_HASH_COST: 15,
      DEMO_LISTENERS: true,
      RECOMMENDER_PROVIDER: 'engine',
      PROVIDER_TIMEOUT_MS: 800,
      PROVIDER_CIRCUIT_FAILURES: 5,
      PROVIDER_CIRCUIT_OPEN_MS: 30_000,
      MAX_K: 100,
      ARTIFACT_DIR: join(root, 'var', 'models'),
      MODEL_POLL_SECONDS: 30,
      TRAINING_THREADS: Math.min(2, availableParallelism()),
      ARTIFACT_STORE: 'local',
      ARTIFACT_S3_PREFIX: 'models/',
    });
  });

  it('converts and keeps given values; empty strings mean the default', () => {
    const env = validateEnvironment(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        CATALOG_PATH: 'other.csv',
        DASHBOARD_DIR: '/srv/ui',
        CORS_ORIGIN: '*',
        LOG_LEVEL: 'debug',
        HOME: '/x',
      },
      { cwd: root },
    );
    expect(env).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      CATALOG_PATH: join(root, 'other.csv'),
      DASHBOARD_DIR: '/srv/ui',
    });
    expect(env).toMatchObject({ CORS_ORIGIN: '*', LOG_LEVEL: 'debug' });
    expect(env).not.toHaveProperty('HOME');
    expect(validateEnvironment({ PORT: '', LOG_LEVEL: '' }, { cwd: root })).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'log',
    });
  });

  it('finds the default sample and built dashboard upwards from the bundle directory when the working directory lacks them', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'encore-cwd-'));
    try {
      const env = validateEnvironment({}, { cwd: elsewhere, searchFrom: [join(root, 'dist/apps/api')] });
      expect(env.CATALOG_PATH).toBe(catalog);
      expect(env.DASHBOARD_DIR).toBe(join(elsewhere, 'dist/apps/dashboard'));
      mkdirSync(join(root, 'dist/apps/dashboard'), { recursive: true });
      writeFileSync(join(root, 'dist/apps/dashboard/index.html'), '<!doctype html>');
      const built = validateEnvironment({}, { cwd: elsewhere, searchFrom: [join(root, 'dist/apps/api')] });
      expect(built.DASHBOARD_DIR).toBe(join(root, 'dist/apps/dashboard'));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer between 0 and 65535 (got "abc")'],
    ['PORT', '70000', 'PORT must be an integer between 0 and 65535 (got 70000)'],
    ['PORT', '3000.5', 'PORT must be an integer between 0 and 65535 (got "3000.5")'],
    ['HOST', 'local host', 'HOST must be a host name or an IP address (got "local host")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose (got "loud")'],
    [
      'CORS_ORIGIN',
      'example.com',
      'CORS_ORIGIN must be * or a comma-separated list of origins such as http://localhost:5173 (got "example.com")',
    ],
  ])('rejects %s=%s naming the variable', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([problem]);
  });

  it('rejects a CATALOG_PATH that is not a file', () => {
    expect(problemsOf({ CATALOG_PATH: 'missing.csv' })).toEqual([
      `CATALOG_PATH file not found: ${join(root, 'missing.csv')}`,
    ]);
    expect(problemsOf({ CATALOG_PATH: 'data' })).toEqual([`CATALOG_PATH file not found: ${join(root, 'data')}`]);
  });

  it('reports every bad variable at once in the error message', () => {
    expect(() => validateEnvironment({ PORT: '-1', LOG_LEVEL: 'x' }, { cwd: root })).toThrow(
      /^Invalid configuration:\n {2}- PORT must be .*\n {2}- LOG_LEVEL must be one of/,
    );
  });

  it('documents exactly the variables it validates', () => {
    expect(CONFIG_TABLE.map((row) => row.name).sort()).toEqual(Object.keys(new Environment()).sort());
  });
});

describe('corsOrigins', () => {
  it('maps unset to off, * to any origin and a list to its origins', () => {
    expect(corsOrigins(undefined)).toBe(false);
    expect(corsOrigins('*')).toBe(true);
    expect(corsOrigins('http://localhost:5173, https://encore.example')).toEqual([
      'http://localhost:5173',
      'https://encore.example',
    ]);
  });
});

describe('enabledLogLevels', () => {
  it('enables the named level and every more severe one', () => {
    expect(enabledLogLevels('fatal')).toEqual(['fatal']);
    expect(enabledLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(enabledLogLevels('verbose')).toHaveLength(6);
  });
});

describe('apps/api/README.md', () => {
  it('lists every variable with its default', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    for (const { name, default: fallback } of CONFIG_TABLE) {
      const row = rows.find((cells) => cells[1] === `\`${name}\``);
      expect(row?.[2]).toBe(fallback.startsWith('(') ? fallback : `\`${fallback}\``);
    }
  });
});
