import type { ArtifactManifest, ModelState } from '@encore/model-artifact';

/** What a publisher may say about a model besides its state. */
export interface PublishInfo {
  /**
   * The version name; generated when absent (sortable by time: `20261125T101500123Z-1a2b3c`).
   * Letters, digits, `.`, `_` and `-`, starting with a letter or digit; never reused.
   */
  version?: string;
  /** ISO-8601 training time; default now. */
  createdAt?: string;
  metrics?: Record<string, number>;
  trainingFingerprint?: string;
}

/** One published version: its name and its (validated) manifest. */
export interface StoredArtifact {
  version: string;
  manifest: ArtifactManifest;
}

/** A loaded version: the model state with every blob checksum verified. */
export interface LoadedArtifact extends StoredArtifact {
  state: ModelState;
}

/** Points in a publish where a store may fail; the contract suite injects crashes at each. */
export const PUBLISH_STEPS = ['blob-written', 'manifest-written', 'before-commit'] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

export type ArtifactStoreErrorCode = 'not-found' | 'corrupt' | 'invalid-version' | 'exists';

/** A store failure a caller may want to tell apart (a missing version vs. a corrupt one). */
export class ArtifactStoreError extends Error {
  constructor(
    readonly code: ArtifactStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactStoreError';
  }
}

// Version names become directory names or key prefixes: a portable, traversal-free alphabet.
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertVersionName(version: string): void {
  if (!VERSION_NAME.test(version)) {
    throw new ArtifactStoreError(
      'invalid-version',
      `model version ${JSON.stringify(version)} must be 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
}

/** A time-sortable, collision-resistant version name. */
export function generateVersionName(createdAt: Date, random: string): string {
  return `${createdAt.toISOString().replace(/[-:]/g, '').replace('.', '')}-${random}`;
}

/** Newest first: by createdAt, then by version name (generated names sort by time too). */
export function compareNewestFirst(a: StoredArtifact, b: StoredArtifact): number {
  const ta = Date.parse(a.manifest.createdAt);
  const tb = Date.parse(b.manifest.createdAt);
  if (ta !== tb) return tb - ta;
  return a.version < b.version ? 1 : a.version > b.version ? -1 : 0;
}

/** A LocalArtifactStore's directory. */
export interface LocalArtifactStoreLocation {
  kind: 'local';
  dir: string;
}

/** An S3ArtifactStore's bucket and prefix, and how to reach and encrypt them. */
export interface S3ArtifactStoreLocation {
  kind: 's3';
  bucket: string;
  /** Key prefix of every object; a trailing "/" is added when missing. Default `models/`. */
  prefix?: string;
  /** Default: the SDK's chain (AWS_REGION, the profile); `us-east-1` when an endpoint is given without one. */
  region?: string;
  /** An S3-compatible server (MinIO, s3rver) or a VPC endpoint; path-style addressing is used with it. */
  endpoint?: string;
  /** SSE-KMS with this key (id, ARN or alias) on every object; SSE-S3 (AES256) when absent. */
  kmsKeyId?: string;
}

/**
 * Which store, as plain data: it crosses a worker-thread boundary (structured clone) so a training
 * worker can open the same store the server uses (`openArtifactStore`). Never holds credentials.
 */
export type ArtifactStoreLocation = LocalArtifactStoreLocation | S3ArtifactStoreLocation;

/**
 * Where trained models live between the trainer (CLI) and the server (API). A version is
 * immutable once published and is either wholly visible or not at all; "active" names the version
 * the server should load. Implementations: LocalArtifactStore (a directory) and S3ArtifactStore
 * (a bucket prefix), held to one contract suite (`describeArtifactStoreContract` in `@encore/artifact-store/testing`).
 */
export abstract class ArtifactStore {
  /** How to open this same store elsewhere (another thread or process). */
  abstract readonly location: ArtifactStoreLocation;

  /** Writes a new version; it does not become active. */
  abstract publish(state: ModelState, info?: PublishInfo): Promise<StoredArtifact>;
  /** Reads and verifies a version; throws ArtifactStoreError 'not-found' or 'corrupt'. */
  abstract load(version: string): Promise<LoadedArtifact>;
  /** Every published version, newest first. */
  abstract list(): Promise<StoredArtifact[]>;
  /** The active version's name, or null before the first activation. */
  abstract activeVersion(): Promise<string | null>;
  /** Makes a published, verifiable version the active one (a corrupt version is refused). */
  abstract activate(version: string): Promise<void>;

  /** The active version, loaded; null when none is active. */
  async loadActive(): Promise<LoadedArtifact | null> {
    const version = await this.activeVersion();
    return version === null ? null : this.load(version);
  }
}
