import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_S3_PREFIX, S3_BUCKET_NAME } from '@encore/artifact-store';
import { RecommenderSettings } from './recommender-settings';

export const MODELS_SUBDIRECTORY = 'models';

export const ARTIFACT_STORES = ['local', 's3'] as const;
export type ArtifactStoreKind = (typeof ARTIFACT_STORES)[number];
const S3_REQUIRED = 'is required when ARTIFACT_STORE=s3';
const s3Store = (e: ModelSettings) => e.ARTIFACT_STORE === 's3';

/** Rows of CONFIG_TABLE for saved models; `environment.ts` appends them to its own table. */
export const MODEL_CONFIG_TABLE: readonly { name: keyof ModelSettings; default: string; meaning: string }[] = [
  {
    name: 'ARTIFACT_DIR',
    default: '(unset: <ENCORE_DATA_DIR>/models)',
    meaning:
      'Directory of saved engine models: one subdirectory per version (manifest.json + checksummed blobs) and the ACTIVE pointer file. At start the active version is served when it was trained on the same catalog (no training; feedback stored since is folded in); otherwise a model is trained, saved and made active. Replicas share models by sharing this directory.',
  },
  {
    name: 'MODEL_POLL_SECONDS',
    default: '30',
    meaning:
      'How often the ACTIVE pointer is re-read so that a model activated on another replica is served here too (0: never).',
  },
  {
    name: 'TRAINING_THREADS',
    default: '(min(2, CPU cores))',
    meaning:
      'Threads a training job (POST /v1/models/train) runs the ALS phases on, started by its worker thread and ended with it; 1: ALS on that worker alone. The model is the same bit for bit at any count. Training at start-up (no saved model) stays on one thread.',
  },
  {
    name: 'ARTIFACT_STORE',
    default: 'local',
    meaning:
      'Where saved models live: local (ARTIFACT_DIR) or s3 (ARTIFACT_S3_BUCKET under ARTIFACT_S3_PREFIX, shared by every replica and the CLI trainer; the pointer is <prefix>active.json).',
  },
  { name: 'ARTIFACT_S3_BUCKET', default: '(required for s3)', meaning: 'Bucket of the S3 model store.' },
  {
    name: 'ARTIFACT_S3_PREFIX',
    default: DEFAULT_S3_PREFIX,
    meaning: 'Key prefix of the S3 model store: <prefix><version>/manifest.json, <prefix><version>/blobs/*.bin.',
  },
  {
    name: 'ARTIFACT_S3_KMS_KEY_ID',
    default: '(unset: SSE-S3, AES256)',
    meaning: 'KMS key id, ARN or alias: every object the S3 store writes is encrypted with SSE-KMS under it.',
  },
  {
    name: 'S3_ENDPOINT',
    default: '(unset: the AWS endpoint)',
    meaning: 'Endpoint of an S3-compatible server (MinIO, s3rver) or a VPC endpoint; path-style addressing.',
  },
  {
    name: 'AWS_REGION',
    default: "(unset: the SDK's chain)",
    meaning: 'Region of the S3 bucket (us-east-1 with S3_ENDPOINT). Credentials: the AWS SDK default chain.',
  },
];

/** The variables above, typed and validated (Environment extends this class). */
export class ModelSettings extends RecommenderSettings {
  /** Resolved by `resolveModelSettings`: always an absolute path afterwards. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ARTIFACT_DIR?: string;

  @IsInt({ message: 'must be an integer between 0 and 86400' })
  @Min(0, { message: 'must be an integer between 0 and 86400' })
  @Max(86_400, { message: 'must be an integer between 0 and 86400' })
  MODEL_POLL_SECONDS = 30;

  // At most two: the same machine keeps serving requests, and each pool thread costs a bundle load and per-phase
  // messages, which on the demo data (ALS ≈ 0.1 s of a 3 s job) outweigh the split work.
  @IsInt({ message: 'must be an integer between 1 and 64' })
  @Min(1, { message: 'must be an integer between 1 and 64' })
  @Max(64, { message: 'must be an integer between 1 and 64' })
  TRAINING_THREADS = Math.min(2, availableParallelism());

  @IsIn(ARTIFACT_STORES, { message: `must be one of ${ARTIFACT_STORES.join(', ')}` })
  ARTIFACT_STORE: ArtifactStoreKind = 'local';

  // The required check sits next to the field: class-validator reports it first.
  @ValidateIf(s3Store)
  @Matches(S3_BUCKET_NAME, { message: 'must be an S3 bucket name (3–63 lower-case letters, digits, "." or "-")' })
  @IsNotEmpty({ message: S3_REQUIRED })
  ARTIFACT_S3_BUCKET?: string;

  @Matches(/^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)*(?:[A-Za-z0-9][A-Za-z0-9._-]*)?$/, {
    message: 'must be a key prefix such as models/ or team/encore/models/',
  })
  ARTIFACT_S3_PREFIX = DEFAULT_S3_PREFIX;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:/_-]{1,2048}$/, { message: 'must be a KMS key id, key ARN or alias/name' })
  ARTIFACT_S3_KMS_KEY_ID?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as eu-west-1' })
  AWS_REGION?: string;
}

/** Turns the text of the integer variables into numbers (unrecognised text is left to fail validation). */
export function coerceModelValues(picked: Record<string, unknown>): void {
  for (const name of ['MODEL_POLL_SECONDS', 'TRAINING_THREADS']) {
    const value = picked[name];
    if (typeof value === 'string' && /^-?\d+$/.test(value)) picked[name] = Number(value);
  }
}

/** Resolves ARTIFACT_DIR against the working directory, defaulting under the (already resolved) ENCORE_DATA_DIR. */
export function resolveModelSettings(env: ModelSettings, cwd: string): void {
  env.ARTIFACT_DIR =
    env.ARTIFACT_DIR === undefined ? join(env.ENCORE_DATA_DIR, MODELS_SUBDIRECTORY) : resolve(cwd, env.ARTIFACT_DIR);
}
