import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  LocalArtifactStore,
  parseS3Url,
  readArtifactDirectory,
  S3ArtifactStore,
  type ArtifactStore,
  type LoadedArtifact,
} from '@encore/artifact-store';
import { MANIFEST_FILE } from '@encore/model-artifact';
import { UsageError } from '../args';
import type { CommandContext } from '../command';

// assertVersionName's alphabet: a prefix's last part that cannot be a version name is a store.
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** How `--out` and `--artifact` describe the S3 form; the API reads the same environment variables. */
export const S3_ARG_HELP =
  's3://BUCKET/PREFIX for an S3 store (S3_ENDPOINT, ARTIFACT_S3_KMS_KEY_ID and AWS_REGION as for the API; ' +
  'credentials from the AWS SDK chain)';

/** A store named on the command line, and how to name it back in output. */
export interface ArtifactStoreArg {
  store: ArtifactStore;
  /** The absolute directory, or `s3://bucket/prefix/`. */
  url: string;
}

/**
 * `--out`/`--artifact` values: a directory (relative to the working directory) or an `s3://bucket/prefix`
 * URL. An S3 store is configured like the API's (same variable names), so one environment serves both.
 */
export function artifactStoreArg(value: string, flag: string, ctx: CommandContext): ArtifactStoreArg {
  let s3: ReturnType<typeof parseS3Url>;
  try {
    s3 = parseS3Url(value);
  } catch (error) {
    throw new UsageError(`--${flag} ${(error as Error).message}`);
  }
  if (!s3) {
    const dir = resolve(ctx.io.cwd, value);
    return { store: new LocalArtifactStore(dir), url: dir };
  }
  const store = new S3ArtifactStore({ ...s3, ...s3Settings(ctx) });
  return { store, url: store.url };
}

function s3Settings(ctx: CommandContext): { endpoint?: string; kmsKeyId?: string; region?: string } {
  const env = ctx.io.env ?? {};
  const endpoint = env['S3_ENDPOINT'] || undefined;
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint))
    throw new UsageError(`S3_ENDPOINT must be an http:// or https:// URL (got ${JSON.stringify(endpoint)})`);
  return {
    endpoint,
    kmsKeyId: env['ARTIFACT_S3_KMS_KEY_ID'] || undefined,
    region: env['AWS_REGION'] || undefined,
  };
}

/** Where one version of the store lives, as output names it. */
export function versionUrl(target: ArtifactStoreArg, version: string): string {
  return target.store.location.kind === 's3' ? `${target.url}${version}` : join(target.url, version);
}

/**
 * When the argument names one version rather than a store (a directory holding manifest.json, or
 * `s3://bucket/prefix/<version>` whose manifest exists): that version, verified; otherwise null.
 */
export async function loadNamedVersion(target: ArtifactStoreArg): Promise<LoadedArtifact | null> {
  const location = target.store.location;
  if (location.kind === 'local') {
    if (!existsSync(join(location.dir, MANIFEST_FILE))) return null;
    const loaded = await readArtifactDirectory(location.dir);
    return { ...loaded, version: basename(location.dir) };
  }
  const parts = (location.prefix ?? '').split('/').filter(Boolean);
  const name = parts.pop();
  if (name === undefined || !VERSION_NAME.test(name)) return null;
  const parent = new S3ArtifactStore({ ...location, prefix: parts.join('/') });
  return (await parent.has(name)) ? parent.load(name) : null;
}
