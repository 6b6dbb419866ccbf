import { INTERACTION_EVENTS, type InteractionEvent } from '@encore/interaction-store';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { resolve } from 'node:path';
import { normaliseUsername, passwordProblem, usernameProblem } from '../auth/credential-policy';

/** Default implicit-feedback weights; the simulator uses the same play/like/skip values. */
export const DEFAULT_EVENT_WEIGHTS = 'play=1,like=4,skip=-1,dislike=-4';
export const DEFAULT_DATA_DIR = 'var';
export const JWT_SECRET_MIN_LENGTH = 32;
export const INTERACTION_STORES = ['sqlite', 'postgres', 'dynamodb'] as const;
export type InteractionStoreKind = (typeof INTERACTION_STORES)[number];

const INTEGER_VARIABLES = [
  'CACHE_TTL_SECONDS',
  'JWT_EXPIRES_IN_SECONDS',
  'RATE_LIMIT_PER_MINUTE',
  'MAX_EVENTS_PER_BATCH',
  'PASSWORD_HASH_COST',
] as const;
const BOOLEAN_VARIABLES = ['METRICS_PUBLIC', 'DEMO_LISTENERS'] as const;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * Rows of CONFIG_TABLE for storage, cache, auth, rate limits, metrics and feedback. Kept beside the fields they
 * describe; `environment.ts` appends them to its own table.
 */
export const PLATFORM_CONFIG_TABLE: readonly { name: keyof PlatformSettings; default: string; meaning: string }[] = [
  {
    name: 'ENCORE_DATA_DIR',
    default: DEFAULT_DATA_DIR,
    meaning:
      'Directory for local state, created when missing: the SQLite database encore.db, the generated jwt-secret, model artifacts. Relative paths resolve against the working directory.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset: SQLite in ENCORE_DATA_DIR)',
    meaning:
      'postgres://user:pass@host:port/db to keep users and interactions in PostgreSQL (several API replicas); otherwise one SQLite file (WAL, synchronous=FULL).',
  },
  {
    name: 'DATABASE_SCHEMA',
    default: 'public',
    meaning:
      'PostgreSQL schema holding the tables (created when missing); lets several deployments or test runs share a database.',
  },
  {
    name: 'INTERACTION_STORE',
    default: '(postgres with DATABASE_URL, else sqlite)',
    meaning:
      'Where users and interactions live: sqlite (one file in ENCORE_DATA_DIR), postgres (DATABASE_URL, required) or dynamodb (tables <DYNAMODB_TABLE_PREFIX>users, …interactions, …feed in AWS_REGION, created at start when missing; for Lambda).',
  },
  {
    name: 'DYNAMODB_TABLE_PREFIX',
    default: 'encore-',
    meaning: 'Prefix of the DynamoDB table names, so several deployments can share an account and region.',
  },
  {
    name: 'DYNAMODB_ENDPOINT',
    default: '(unset: the AWS endpoint)',
    meaning:
      'Endpoint of a DynamoDB-compatible server (dynalite, DynamoDB Local) or a VPC endpoint. Credentials: the AWS SDK default chain.',
  },
  {
    name: 'REDIS_URL',
    default: '(unset: in-process cache)',
    meaning:
      'redis://host:port[/db] for a response cache and rate-limit counters shared by every replica. When Redis is down requests still succeed (cache misses, per-process rate limits) and /health says degraded. Unset: an in-process LRU cache.',
  },
  {
    name: 'REDIS_KEY_PREFIX',
    default: 'encore:',
    meaning: 'Prefix of every Redis key and channel, so several deployments can share one Redis.',
  },
  {
    name: 'CACHE_TTL_SECONDS',
    default: '300',
    meaning: "Lifetime of cached responses (a user's entries are dropped at once when that user sends feedback).",
  },
  {
    name: 'JWT_SECRET',
    default: '(unset: generated)',
    meaning: `HS256 signing key for access tokens, at least ${JWT_SECRET_MIN_LENGTH} characters. Unset: a random key is generated once and kept in <ENCORE_DATA_DIR>/jwt-secret (mode 0600), with a warning; set it explicitly when several replicas must accept each other's tokens.`,
  },
  {
    name: 'JWT_EXPIRES_IN_SECONDS',
    default: '3600',
    meaning: 'Lifetime of an access token.',
  },
  {
    name: 'ENCORE_ADMIN_USER',
    default: '(unset: admin)',
    meaning:
      'With ENCORE_ADMIN_PASSWORD: the admin account, created at start or (when the password differs) re-created with that password. Both unset: an account admin is created on first start with a random password printed once in the log.',
  },
  {
    name: 'ENCORE_ADMIN_PASSWORD',
    default: '(unset: random, logged once)',
    meaning: 'Password of ENCORE_ADMIN_USER (same rules as registration). Set both variables or neither.',
  },
  {
    name: 'PASSWORD_HASH_COST',
    default: '15',
    meaning:
      'scrypt cost of new password hashes: N = 2^cost with r=8, p=1 (15: 32 MiB and about 0.1 s per hash on one small core; 17 matches OWASP’s recommendation at four times the time). Stored hashes keep their own parameters, so it can change at any time. Tests use 10.',
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    default: '600',
    meaning:
      'Requests per minute per signed-in user (per client IP when anonymous); beyond it 429 with Retry-After. Register and token requests get a twentieth of it per IP (at least 10). /health and /metrics are not limited.',
  },
  {
    name: 'METRICS_PUBLIC',
    default: 'true',
    meaning: 'Whether GET /metrics (Prometheus) is open to anyone; false: admin token required.',
  },
  {
    name: 'EVENT_WEIGHTS',
    default: DEFAULT_EVENT_WEIGHTS,
    meaning: `Implicit-feedback weight stored with each event, as event=number pairs (${INTERACTION_EVENTS.join(', ')}); events left out keep their default.`,
  },
  {
    name: 'MAX_EVENTS_PER_BATCH',
    default: '100',
    meaning: 'Largest events array accepted by POST /v1/users/:id/interactions.',
  },
  {
    name: 'DEMO_LISTENERS',
    default: '(true with SQLite, false with other stores)',
    meaning:
      'When the store holds no interactions at start, insert the seeded simulator listeners (sim-u0001…, about 38K play/like/skip events on the sample catalog) so collaborative filtering has data.',
  },
];

/** The variables above, typed and validated (see Environment, which extends this class). */
export class PlatformSettings {
  @IsString()
  @IsNotEmpty()
  ENCORE_DATA_DIR = DEFAULT_DATA_DIR;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';

  /** Resolved by `resolvePlatformSettings`: always set afterwards. */
  @IsOptional()
  @IsIn(INTERACTION_STORES, { message: `must be one of ${INTERACTION_STORES.join(', ')}` })
  INTERACTION_STORE?: InteractionStoreKind;

  @Matches(/^[A-Za-z0-9_.-]{0,200}$/, { message: 'must be up to 200 characters of A-Z a-z 0-9 _ . -' })
  DYNAMODB_TABLE_PREFIX = 'encore-';

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  DYNAMODB_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^[A-Za-z0-9:_.-]{0,64}$/, { message: 'must be up to 64 characters of A-Z a-z 0-9 : _ . -' })
  REDIS_KEY_PREFIX = 'encore:';

  @IsInt({ message: 'must be an integer between 1 and 86400' })
  @Min(1, { message: 'must be an integer between 1 and 86400' })
  @Max(86_400, { message: 'must be an integer between 1 and 86400' })
  CACHE_TTL_SECONDS = 300;

  @IsOptional()
  @IsString()
  @MinLength(JWT_SECRET_MIN_LENGTH, { message: `must be at least ${JWT_SECRET_MIN_LENGTH} characters` })
  JWT_SECRET?: string;

  @IsInt({ message: 'must be an integer between 60 and 2592000 (30 days)' })
  @Min(60, { message: 'must be an integer between 60 and 2592000 (30 days)' })
  @Max(2_592_000, { message: 'must be an integer between 60 and 2592000 (30 days)' })
  JWT_EXPIRES_IN_SECONDS = 3600;

  @IsOptional()
  @IsString()
  ENCORE_ADMIN_USER?: string;

  @IsOptional()
  @IsString()
  ENCORE_ADMIN_PASSWORD?: string;

  @IsInt({ message: 'must be an integer between 10 and 17' })
  @Min(10, { message: 'must be an integer between 10 and 17' })
  @Max(17, { message: 'must be an integer between 10 and 17' })
  PASSWORD_HASH_COST = 15;

  @IsInt({ message: 'must be an integer between 1 and 1000000' })
  @Min(1, { message: 'must be an integer between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be an integer between 1 and 1000000' })
  RATE_LIMIT_PER_MINUTE = 600;

  @IsBoolean({ message: 'must be true or false' })
  METRICS_PUBLIC = true;

  @IsString()
  EVENT_WEIGHTS = DEFAULT_EVENT_WEIGHTS;

  @IsInt({ message: 'must be an integer between 1 and 10000' })
  @Min(1, { message: 'must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'must be an integer between 1 and 10000' })
  MAX_EVENTS_PER_BATCH = 100;

  /** Resolved by `resolvePlatformSettings`: always a boolean afterwards. */
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  DEMO_LISTENERS?: boolean;
}

/** Turns the text of integer and boolean variables into numbers and booleans (unrecognised text is left to fail validation). */
export function coercePlatformValues(picked: Record<string, unknown>): void {
  for (const name of INTEGER_VARIABLES) {
    const value = picked[name];
    if (typeof value === 'string' && /^-?\d+$/.test(value)) picked[name] = Number(value);
  }
  for (const name of BOOLEAN_VARIABLES) {
    const value = picked[name];
    if (typeof value !== 'string') continue;
    const word = value.toLowerCase();
    if (TRUE_WORDS.has(word)) picked[name] = true;
    else if (FALSE_WORDS.has(word)) picked[name] = false;
  }
}

/** Cross-field checks and defaults that depend on other variables; returns the problems found. */
export function resolvePlatformSettings(env: PlatformSettings, picked: Record<string, unknown>, cwd: string): string[] {
  const problems: string[] = [];
  try {
    parseEventWeights(env.EVENT_WEIGHTS);
  } catch (error) {
    problems.push(`EVENT_WEIGHTS ${(error as Error).message} (got ${JSON.stringify(env.EVENT_WEIGHTS)})`);
  }
  const adminUser = picked['ENCORE_ADMIN_USER'];
  const adminPassword = picked['ENCORE_ADMIN_PASSWORD'];
  if ((adminUser === undefined) !== (adminPassword === undefined)) {
    problems.push('ENCORE_ADMIN_USER and ENCORE_ADMIN_PASSWORD must be set together (or neither)');
  } else if (typeof adminUser === 'string' && typeof adminPassword === 'string') {
    const username = normaliseUsername(adminUser);
    const nameProblem = usernameProblem(username);
    if (nameProblem) problems.push(`ENCORE_ADMIN_USER ${nameProblem} (got ${JSON.stringify(adminUser)})`);
    const secretProblem = passwordProblem(adminPassword, username);
    if (secretProblem) problems.push(`ENCORE_ADMIN_PASSWORD ${secretProblem}`);
    env.ENCORE_ADMIN_USER = username;
  }
  env.ENCORE_DATA_DIR = resolve(cwd, env.ENCORE_DATA_DIR);
  env.INTERACTION_STORE ??= env.DATABASE_URL === undefined ? 'sqlite' : 'postgres';
  if (env.INTERACTION_STORE === 'postgres' && env.DATABASE_URL === undefined) {
    problems.push('DATABASE_URL is required when INTERACTION_STORE=postgres');
  }
  env.DEMO_LISTENERS ??= env.INTERACTION_STORE === 'sqlite';
  return problems;
}

/** `play=1,like=4` → weights for every event (events not named keep their default). Throws a message for config errors. */
export function parseEventWeights(text: string): Record<InteractionEvent, number> {
  const weights = {} as Record<InteractionEvent, number>;
  for (const part of `${DEFAULT_EVENT_WEIGHTS},${text}`.split(',')) {
    if (part.trim() === '') continue;
    const match = /^\s*([a-z]+)\s*=\s*(-?\d+(\.\d+)?)\s*$/.exec(part);
    if (!match) throw new Error(`must be event=number pairs separated by commas, such as ${DEFAULT_EVENT_WEIGHTS}`);
    const event = match[1] as InteractionEvent;
    if (!INTERACTION_EVENTS.includes(event)) {
      throw new Error(`names unknown event ${JSON.stringify(match[1])} (known: ${INTERACTION_EVENTS.join(', ')})`);
    }
    const weight = Number(match[2]);
    if (Math.abs(weight) > 1000) throw new Error(`weight of ${event} must be between -1000 and 1000`);
    weights[event] = weight;
  }
  return weights;
}
