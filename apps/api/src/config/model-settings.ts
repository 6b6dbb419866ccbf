import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { join, resolve } from 'node:path';
import { RecommenderSettings } from './recommender-settings';

export const MODELS_SUBDIRECTORY = 'models';

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
}

/** Turns the text of the integer variables into numbers (unrecognised text is left to fail validation). */
export function coerceModelValues(picked: Record<string, unknown>): void {
  const value = picked['MODEL_POLL_SECONDS'];
  if (typeof value === 'string' && /^-?\d+$/.test(value)) picked['MODEL_POLL_SECONDS'] = Number(value);
}

/** Resolves ARTIFACT_DIR against the working directory, defaulting under the (already resolved) ENCORE_DATA_DIR. */
export function resolveModelSettings(env: ModelSettings, cwd: string): void {
  env.ARTIFACT_DIR =
    env.ARTIFACT_DIR === undefined ? join(env.ENCORE_DATA_DIR, MODELS_SUBDIRECTORY) : resolve(cwd, env.ARTIFACT_DIR);
}
