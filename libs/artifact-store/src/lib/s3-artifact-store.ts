import { randomBytes } from 'node:crypto';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import {
  MANIFEST_FILE,
  decodeArtifact,
  encodeArtifact,
  parseArtifactManifest,
  type ArtifactManifest,
  type ModelState,
} from '@encore/model-artifact';
import {
  ArtifactStore,
  ArtifactStoreError,
  assertVersionName,
  compareNewestFirst,
  generateVersionName,
  type LoadedArtifact,
  type PublishInfo,
  type PublishStep,
  type S3ArtifactStoreLocation,
  type StoredArtifact,
} from './artifact-store';

/** The object naming the active version: `{"version": "…", "activatedAt": "…"}`. */
export const ACTIVE_OBJECT = 'active.json';
export const DEFAULT_S3_PREFIX = 'models/';

/**
 * The S3 SDK, loaded when the first S3 store is made: the CLI (and each of its worker threads) and the
 * API load this library for the local store too, and the SDK's modules take a noticeable time to load.
 */
function s3Sdk(): typeof S3Sdk {
  return require('@aws-sdk/client-s3') as typeof S3Sdk;
}

export interface S3ArtifactStoreOptions extends Omit<S3ArtifactStoreLocation, 'kind'> {
  /** Static credentials; the SDK's default chain (env, profile, role) when absent. They are not part of `location`. */
  credentials?: S3ClientConfig['credentials'];
  /** Manifests fetched at once by `list` (default 8). */
  listConcurrency?: number;
}

/**
 * Models in an S3 bucket under a key prefix, laid out like LocalArtifactStore's directory:
 *
 *   <prefix>active.json                      {"version": "<name>", "activatedAt": "<ISO time>"}
 *   <prefix><version>/manifest.json          kind, params, metrics, blob checksums
 *   <prefix><version>/blobs/<name>.bin       little-endian typed arrays
 *
 * S3 has no rename, so the manifest is the commit: publishing puts every blob first and the
 * manifest last (`If-None-Match: *`, so the first publisher of a name wins). A version without a
 * manifest is invisible (not listed, "not found"), and loading re-verifies every blob's length and
 * SHA-256 against the manifest, so a half-written or altered version is refused, never served.
 * Activation verifies the version, then overwrites active.json: the last activation wins, as with
 * the local ACTIVE file; S3's read-after-write consistency lets every replica's next poll see it.
 *
 * Every PutObject asks for server-side encryption: SSE-KMS with `kmsKeyId`, else SSE-S3 (AES256).
 * Each blob is one PutObject of bytes already in memory (S3 caps one PUT at 5 GiB; past a few
 * hundred MB per blob a multipart upload would be kinder to memory and retries).
 *
 * Two publishers racing for the same explicit name may overwrite each other's blobs before one
 * manifest wins; the checksums then make the version load as corrupt rather than wrong.
 * Generated names carry a random suffix, so only explicit names can race.
 */
export class S3ArtifactStore extends ArtifactStore {
  readonly location: S3ArtifactStoreLocation;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly sdk = s3Sdk();
  private readonly listConcurrency: number;

  constructor(options: S3ArtifactStoreOptions) {
    super();
    if (!options.bucket) throw new Error('S3ArtifactStore needs a bucket');
    this.bucket = options.bucket;
    this.prefix = normalizeS3Prefix(options.prefix ?? DEFAULT_S3_PREFIX);
    this.location = {
      kind: 's3',
      bucket: options.bucket,
      prefix: this.prefix,
      ...(options.region !== undefined && { region: options.region }),
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }),
    };
    this.listConcurrency = Math.max(1, options.listConcurrency ?? 8);
    // A custom endpoint only uses the region to sign; S3-compatible servers default to us-east-1.
    const region = options.region ?? (options.endpoint ? 'us-east-1' : undefined);
    this.client = new this.sdk.S3Client({
      ...(region && { region }),
      ...(options.endpoint && { endpoint: options.endpoint, forcePathStyle: true }),
      ...(options.credentials && { credentials: options.credentials }),
    });
  }

  /** `s3://bucket/prefix/`, as messages name the store. */
  get url(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async publish(state: ModelState, info: PublishInfo = {}): Promise<StoredArtifact> {
    const createdAt = info.createdAt ?? new Date().toISOString();
    const version = info.version ?? generateVersionName(new Date(createdAt), randomBytes(3).toString('hex'));
    assertVersionName(version);
    // Encoding validates the state and info before anything is uploaded.
    const { files, manifest } = encodeArtifact(state, {
      createdAt,
      version,
      metrics: info.metrics,
      trainingFingerprint: info.trainingFingerprint,
    });
    if (await this.has(version)) throw this.alreadyPublished(version);
    const written: string[] = [];
    try {
      for (const name of Object.keys(files).sort()) {
        if (name === MANIFEST_FILE) continue;
        const key = this.key(version, name);
        await this.put(key, files[name], 'application/octet-stream');
        written.push(key);
        await this.reached('blob-written');
      }
      await this.reached('before-commit');
    } catch (error) {
      // No manifest was attempted, so nothing can refer to these blobs. Best effort: a process that
      // dies here leaves them too, invisible, and a retry overwrites them.
      await this.remove(written).catch(() => undefined);
      throw error;
    }
    try {
      await this.put(this.key(version, MANIFEST_FILE), files[MANIFEST_FILE], 'application/json', { ifNoneMatch: true });
    } catch (error) {
      // Another publisher committed this name after our check (its blobs may now be ours: see above).
      if (isPreconditionFailed(error)) throw this.alreadyPublished(version);
      throw error;
    }
    // The version is published: a failure from here on (a lost response) leaves it whole and visible.
    await this.reached('manifest-written');
    return { version, manifest };
  }

  async load(version: string): Promise<LoadedArtifact> {
    assertVersionName(version);
    const where = `${this.url}${version}`;
    const corrupt = (detail: string): ArtifactStoreError =>
      new ArtifactStoreError('corrupt', `model artifact ${where} is unusable: ${detail}`);
    const manifestBytes = await this.get(this.key(version, MANIFEST_FILE));
    if (manifestBytes === null) {
      const known = (await this.list()).map((a) => a.version);
      throw new ArtifactStoreError(
        'not-found',
        `no model version "${version}" in ${this.url} (${known.length > 0 ? `versions: ${known.join(', ')}` : 'the store is empty'})`,
      );
    }
    let manifest: ArtifactManifest;
    try {
      manifest = parseArtifactManifest(manifestBytes);
    } catch (error) {
      throw corrupt((error as Error).message);
    }
    const files: Record<string, Uint8Array> = { [MANIFEST_FILE]: manifestBytes };
    // parseArtifactManifest checks every entry's file is blobs/<name>.bin: no key outside the version.
    const entries = Object.values(manifest.blobs);
    const blobs = await Promise.all(entries.map((entry) => this.get(this.key(version, entry.file))));
    entries.forEach((entry, i) => {
      const bytes = blobs[i];
      // decodeArtifact names a missing blob.
      if (bytes !== null) files[entry.file] = bytes;
    });
    try {
      return { ...decodeArtifact(files), version };
    } catch (error) {
      throw corrupt((error as Error).message);
    }
  }

  async list(): Promise<StoredArtifact[]> {
    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list ${this.url}`, () =>
        this.client.send(
          new this.sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        ),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(this.prefix.length, -1);
        if (name !== undefined && isVersionName(name)) versions.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const manifests = await mapLimited(versions, this.listConcurrency, async (version) => {
      const bytes = await this.get(this.key(version, MANIFEST_FILE));
      if (bytes === null) return null; // blobs without a manifest: a publish that never committed
      try {
        return parseArtifactManifest(bytes);
      } catch {
        return null; // unreadable: `load` says why
      }
    });
    const out: StoredArtifact[] = [];
    versions.forEach((version, i) => {
      const manifest = manifests[i];
      if (manifest) out.push({ version, manifest });
    });
    return out.sort(compareNewestFirst);
  }

  /** Whether a version is published (its manifest exists); its blobs are not checked. */
  async has(version: string): Promise<boolean> {
    assertVersionName(version);
    const key = this.key(version, MANIFEST_FILE);
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw this.failure(`read s3://${this.bucket}/${key}`, error);
    }
  }

  async activeVersion(): Promise<string | null> {
    const key = this.prefix + ACTIVE_OBJECT;
    const bytes = await this.get(key);
    if (bytes === null) return null;
    const text = new TextDecoder().decode(bytes);
    let version: unknown;
    try {
      version = (JSON.parse(text) as { version?: unknown }).version;
    } catch {
      version = undefined;
    }
    if (typeof version !== 'string' || !isVersionName(version)) {
      throw new ArtifactStoreError(
        'corrupt',
        `s3://${this.bucket}/${key} does not hold a version name: ${JSON.stringify(text.slice(0, 80))}`,
      );
    }
    return version;
  }

  async activate(version: string): Promise<void> {
    await this.load(version);
    const body = JSON.stringify({ version, activatedAt: new Date().toISOString() }) + '\n';
    await this.put(this.prefix + ACTIVE_OBJECT, new TextEncoder().encode(body), 'application/json');
  }

  /** Called after each publish step; a no-op here. Tests override it to simulate a crash at that point. */
  protected async reached(_step: PublishStep): Promise<void> {
    return;
  }

  private key(version: string, file: string): string {
    return `${this.prefix}${version}/${file}`;
  }

  private async put(key: string, body: Uint8Array, contentType: string, opts: { ifNoneMatch?: boolean } = {}) {
    const command = new this.sdk.PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ...(this.location.kmsKeyId
        ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.location.kmsKeyId }
        : { ServerSideEncryption: 'AES256' }),
      ...(opts.ifNoneMatch && { IfNoneMatch: '*' }),
    });
    // The caller tells a lost race (412) apart from other failures.
    await this.call(`write s3://${this.bucket}/${key}`, () => this.client.send(command), isPreconditionFailed);
  }

  /** The object's bytes, or null when there is no such key. */
  private async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return new Uint8Array(0);
      return await out.Body.transformToByteArray();
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw this.failure(`read s3://${this.bucket}/${key}`, error);
    }
  }

  private async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const command = new this.sdk.DeleteObjectsCommand({
      Bucket: this.bucket,
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    });
    await this.call(`delete from ${this.url}`, () => this.client.send(command));
  }

  /** Runs an S3 call; failures become errors naming the bucket and key (unless `passThrough` says otherwise). */
  private async call<T>(
    what: string,
    run: () => Promise<T>,
    passThrough: (error: unknown) => boolean = () => false,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (passThrough(error)) throw error;
      throw this.failure(what, error);
    }
  }

  private failure(what: string, error: unknown): Error {
    const name = (error as { name?: string }).name;
    const message = (error as Error).message ?? String(error);
    const detail =
      name === 'NoSuchBucket'
        ? `bucket "${this.bucket}" does not exist`
        : message === 'Region is missing'
          ? 'no AWS region (set AWS_REGION)'
          : `${name && name !== 'Error' ? `${name}: ` : ''}${message}`;
    return new Error(`cannot ${what}: ${detail}`, { cause: error });
  }

  private alreadyPublished(version: string): ArtifactStoreError {
    return new ArtifactStoreError(
      'exists',
      `model version "${version}" already exists in ${this.url}; versions are immutable`,
    );
  }
}

/** `models` → `models/`, `/a/b/` → `a/b/`, `` → `` (the bucket root). */
export function normalizeS3Prefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function isVersionName(name: string): boolean {
  try {
    assertVersionName(name);
    return true;
  } catch {
    return false;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** A missing key (GetObject: NoSuchKey, HeadObject: a bare 404), but not a missing bucket. */
function isMissingObject(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

function isPreconditionFailed(error: unknown): boolean {
  return (error as { name?: string }).name === 'PreconditionFailed' || statusOf(error) === 412;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
