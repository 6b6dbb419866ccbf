import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { coercePlatformValues, PLATFORM_CONFIG_TABLE, resolvePlatformSettings } from './platform-settings';
import { coerceModelValues, MODEL_CONFIG_TABLE, ModelSettings, resolveModelSettings } from './model-settings';
import { coerceRecommenderValues, RECOMMENDER_CONFIG_TABLE } from './recommender-settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type ApiLogLevel = (typeof LOG_LEVELS)[number];

/** The embedded sample catalog, relative to the repository root. */
export const SAMPLE_CATALOG_PATH = 'data/sample/catalog.csv';
export const DEFAULT_DASHBOARD_DIR = 'dist/apps/dashboard';

/**
 * Every environment variable the API reads, with its default and meaning. The README's
 * configuration table is this list; `validateEnvironment` checks exactly these names.
 */
export const CONFIG_TABLE: readonly { name: keyof Environment; default: string; meaning: string }[] = [
  {
    name: 'PORT',
    default: '3000',
    meaning: 'TCP port of the API, the OpenAPI docs and the dashboard (0 picks a free port).',
  },
  {
    name: 'HOST',
    default: '127.0.0.1',
    meaning: 'Interface to bind. Loopback by default so a local run is not exposed; use 0.0.0.0 in a container.',
  },
  {
    name: 'CATALOG_PATH',
    default: SAMPLE_CATALOG_PATH,
    meaning:
      'Song catalog CSV (Spotify Kaggle header) loaded once at start-up. Relative paths resolve against the working directory; the default is also looked up from the bundle location, so it works from the repo root. Point it at the full 114K Kaggle file to serve the whole catalog.',
  },
  {
    name: 'DASHBOARD_DIR',
    default: DEFAULT_DASHBOARD_DIR,
    meaning:
      'Built dashboard served from the same port (static files + SPA fallback) when the directory exists; ignored otherwise.',
  },
  {
    name: 'CORS_ORIGIN',
    default: '(unset: CORS off)',
    meaning:
      'Comma-separated origins allowed to call the API from a browser, or * for any. Not needed for the bundled dashboard (same origin).',
  },
  { name: 'LOG_LEVEL', default: 'log', meaning: `Least severe level logged: ${LOG_LEVELS.join(' | ')}.` },
  ...PLATFORM_CONFIG_TABLE,
  ...RECOMMENDER_CONFIG_TABLE,
  ...MODEL_CONFIG_TABLE,
];

const ORIGIN = /^https?:\/\/[^\s/,]+$/;

/** Validated, resolved configuration: the paths are absolute once `validateEnvironment` returns. */
export class Environment extends ModelSettings {
  @IsInt({ message: 'must be an integer between 0 and 65535' })
  @Min(0, { message: 'must be an integer between 0 and 65535' })
  @Max(65535, { message: 'must be an integer between 0 and 65535' })
  PORT = 3000;

  @Matches(/^[A-Za-z0-9.:[\]-]+$/, { message: 'must be a host name or an IP address' })
  HOST = '127.0.0.1';

  @IsString()
  @IsNotEmpty()
  CATALOG_PATH = SAMPLE_CATALOG_PATH;

  @IsString()
  @IsNotEmpty()
  DASHBOARD_DIR = DEFAULT_DASHBOARD_DIR;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s/,]+(\s*,\s*https?:\/\/[^\s/,]+)*)$/, {
    message: 'must be * or a comma-separated list of origins such as http://localhost:5173',
  })
  CORS_ORIGIN?: string;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: ApiLogLevel = 'log';
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export interface EnvironmentContext {
  /** Directory relative paths resolve against (default: the working directory). */
  cwd?: string;
  /** Extra directories searched upwards for the default sample catalog (the bundle's own directory). */
  searchFrom?: string[];
}

/**
 * Checks the raw environment and returns typed, resolved values; throws a ConfigurationError
 * naming every bad variable. Empty strings count as unset so `PORT= npm start` means the default.
 */
export function validateEnvironment(raw: Record<string, unknown>, context: EnvironmentContext = {}): Environment {
  const cwd = context.cwd ?? process.cwd();
  const picked: Record<string, unknown> = {};
  for (const { name } of CONFIG_TABLE) {
    const value = raw[name];
    if (value !== undefined && value !== '') picked[name] = typeof value === 'string' ? value.trim() : value;
  }
  if (typeof picked['PORT'] === 'string')
    picked['PORT'] = /^\d+$/.test(picked['PORT']) ? Number(picked['PORT']) : picked['PORT'];
  coercePlatformValues(picked);
  coerceRecommenderValues(picked);
  coerceModelValues(picked);

  const env = plainToInstance(Environment, picked);
  const problems = validateSync(env).map((e) => {
    const message = Object.values(e.constraints ?? {})[0] ?? 'is invalid';
    return `${e.property} ${message} (got ${describeValue(e.property, e.value)})`;
  });
  problems.push(...resolvePlatformSettings(env, picked, cwd));
  if (problems.length > 0) throw new ConfigurationError(problems);
  resolveModelSettings(env, cwd);

  const catalogGiven = picked['CATALOG_PATH'] !== undefined;
  const catalogPath = catalogGiven
    ? resolve(cwd, env.CATALOG_PATH)
    : (findUpwards(SAMPLE_CATALOG_PATH, [cwd, ...(context.searchFrom ?? [])]) ?? resolve(cwd, SAMPLE_CATALOG_PATH));
  if (!isFile(catalogPath)) {
    problems.push(
      `CATALOG_PATH file not found: ${catalogPath}${catalogGiven ? '' : ' (the embedded sample; run from the repository root or set CATALOG_PATH)'}`,
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  env.CATALOG_PATH = catalogPath;
  env.DASHBOARD_DIR =
    picked['DASHBOARD_DIR'] !== undefined
      ? resolve(cwd, env.DASHBOARD_DIR)
      : (dirnameOf(findUpwards(join(DEFAULT_DASHBOARD_DIR, 'index.html'), [cwd, ...(context.searchFrom ?? [])])) ??
        resolve(cwd, DEFAULT_DASHBOARD_DIR));
  return env;
}

/** process.env with the given overrides on top: what ConfigModule hands to `validate`. */
export function withOverrides(options: { env?: Record<string, string | undefined> }): Record<string, unknown> {
  return { ...process.env, ...options.env };
}

/** CORS setting for Nest: false (off), true (any origin) or the allowed origins. */
export function corsOrigins(value: string | undefined): boolean | string[] {
  if (!value) return false;
  if (value === '*') return true;
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => ORIGIN.test(o));
}

/** Nest's logger takes the list of enabled levels; LOG_LEVEL names the least severe one. */
export function enabledLogLevels(level: ApiLogLevel): ApiLogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

function findUpwards(relative: string, starts: string[]): string | undefined {
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, relative);
      if (isFile(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Secrets never appear in an error message, only their length. */
function describeValue(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name) && typeof value === 'string') return `a secret of ${value.length} characters`;
  return JSON.stringify(value);
}

const SECRET_VARIABLES = new Set(['JWT_SECRET', 'ENCORE_ADMIN_PASSWORD']);

function dirnameOf(path: string | undefined): string | undefined {
  return path === undefined ? undefined : dirname(path);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
