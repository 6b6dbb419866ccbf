import type { ArtifactStore, ArtifactStoreLocation } from './artifact-store';
import { LocalArtifactStore } from './local-artifact-store';
import { normalizeS3Prefix, S3ArtifactStore, DEFAULT_S3_PREFIX } from './s3-artifact-store';

/** The store a location names: how a worker thread reopens the server's store from plain data. */
export function openArtifactStore(location: ArtifactStoreLocation): ArtifactStore {
  return location.kind === 's3' ? new S3ArtifactStore(location) : new LocalArtifactStore(location.dir);
}

/** A location as people write it: the directory, or `s3://bucket/prefix/`. */
export function artifactStoreUrl(location: ArtifactStoreLocation): string {
  if (location.kind === 'local') return location.dir;
  return `s3://${location.bucket}/${normalizeS3Prefix(location.prefix ?? DEFAULT_S3_PREFIX)}`;
}

// Bucket names: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/some/prefix` → `{bucket: 'bucket', prefix: 'some/prefix/'}` (`s3://bucket` is the bucket root);
 * null for anything that does not start with `s3://`. Throws for an s3:// URL without a valid bucket name.
 */
export function parseS3Url(text: string): { bucket: string; prefix: string } | null {
  if (!/^s3:\/\//i.test(text)) return null;
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!S3_BUCKET_NAME.test(bucket))
    throw new Error(`${text}: "${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." or "-")`);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (/(^|\/)\.{1,2}(\/|$)|\/\//.test(prefix))
    throw new Error(`${text}: the key prefix has an empty, "." or ".." part`);
  return { bucket, prefix: normalizeS3Prefix(prefix) };
}
