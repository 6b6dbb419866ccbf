import type { Blob, ModelState } from './model-state';
import { sha256Hex } from './sha256';

/**
 * Bumped whenever the manifest shape or blob encoding changes. Readers refuse any other
 * version rather than guess, so an old server never half-loads a newer model.
 */
export const ARTIFACT_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';

export type BlobDtype = 'float32' | 'float64' | 'int32' | 'uint32' | 'uint8';

export interface ArtifactBlobEntry {
  /** Path of the blob inside the artifact, always `blobs/<name>.bin`. */
  file: string;
  dtype: BlobDtype;
  /** Number of elements. */
  length: number;
  byteLength: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface ArtifactManifest {
  formatVersion: typeof ARTIFACT_FORMAT_VERSION;
  kind: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
  /** ISO-8601 time the model was trained/encoded. */
  createdAt: string;
  /** Free-form model version label (e.g. a timestamp or semver), if the publisher gave one. */
  version: string | null;
  metrics: Record<string, number>;
  /** Hash of the training interactions (see `fingerprintInteractions`), if known. */
  trainingFingerprint: string | null;
  /** Keyed by blob name, names sorted. */
  blobs: Record<string, ArtifactBlobEntry>;
}

export interface ArtifactInfo {
  createdAt: string;
  metrics?: Record<string, number>;
  trainingFingerprint?: string;
  version?: string;
}

export interface EncodedArtifact {
  /** File path inside the artifact → bytes; includes `manifest.json`. */
  files: Record<string, Uint8Array>;
  manifest: ArtifactManifest;
}

type TypedArrayCtor = { new (buffer: ArrayBuffer): Blob; BYTES_PER_ELEMENT: number };

const DTYPES: Record<BlobDtype, TypedArrayCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
};

// Blob names become file names, so keep them to a portable, traversal-free alphabet.
const BLOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function blobDtype(blob: Blob): BlobDtype {
  if (blob instanceof Float32Array) return 'float32';
  if (blob instanceof Float64Array) return 'float64';
  if (blob instanceof Int32Array) return 'int32';
  if (blob instanceof Uint32Array) return 'uint32';
  if (blob instanceof Uint8Array) return 'uint8';
  throw new Error(`unsupported blob type ${Object.prototype.toString.call(blob)}`);
}

export function blobFileName(name: string): string {
  return `blobs/${name}.bin`;
}

/**
 * Little-endian bytes of a typed array (a copy, so later edits to the model's arrays
 * cannot change what was hashed). `littleEndianHost` is injectable only for tests.
 */
export function blobToLittleEndianBytes(blob: Blob, littleEndianHost = HOST_LITTLE_ENDIAN): Uint8Array {
  const width = blob.BYTES_PER_ELEMENT;
  const out = new Uint8Array(blob.length * width);
  if (littleEndianHost || width === 1) {
    out.set(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength));
    return out;
  }
  const view = new DataView(out.buffer);
  const dtype = blobDtype(blob);
  for (let i = 0; i < blob.length; i++) writeElement(view, dtype, i * width, blob[i]);
  return out;
}

/** Inverse of `blobToLittleEndianBytes`; always copies into a fresh, aligned buffer. */
export function blobFromLittleEndianBytes(
  bytes: Uint8Array,
  dtype: BlobDtype,
  littleEndianHost = HOST_LITTLE_ENDIAN,
): Blob {
  const ctor = DTYPES[dtype];
  if (bytes.length % ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`${bytes.length} bytes is not a whole number of ${dtype} elements`);
  }
  const buffer = new ArrayBuffer(bytes.length);
  const copy = new Uint8Array(buffer);
  copy.set(bytes);
  const out = new ctor(buffer);
  if (!littleEndianHost && ctor.BYTES_PER_ELEMENT > 1) {
    const view = new DataView(buffer);
    for (let i = 0; i < out.length; i++) out[i] = readElement(view, dtype, i * ctor.BYTES_PER_ELEMENT);
  }
  return out;
}

function writeElement(view: DataView, dtype: BlobDtype, at: number, v: number): void {
  if (dtype === 'float32') view.setFloat32(at, v, true);
  else if (dtype === 'float64') view.setFloat64(at, v, true);
  else if (dtype === 'int32') view.setInt32(at, v, true);
  else if (dtype === 'uint32') view.setUint32(at, v, true);
  else view.setUint8(at, v);
}

function readElement(view: DataView, dtype: BlobDtype, at: number): number {
  if (dtype === 'float32') return view.getFloat32(at, true);
  if (dtype === 'float64') return view.getFloat64(at, true);
  if (dtype === 'int32') return view.getInt32(at, true);
  if (dtype === 'uint32') return view.getUint32(at, true);
  return view.getUint8(at);
}

/**
 * Turns a model state into artifact files: one little-endian `.bin` per blob plus a
 * `manifest.json` describing and checksumming them. Pure: the caller writes the files
 * (blobs first, manifest last, so a reader never sees a manifest without its blobs).
 */
export function encodeArtifact(state: ModelState, info: ArtifactInfo): EncodedArtifact {
  if (typeof state.kind !== 'string' || state.kind === '') throw new Error('model state has no kind');
  if (Number.isNaN(Date.parse(info.createdAt)))
    throw new Error(`createdAt "${info.createdAt}" is not an ISO-8601 date`);
  const files: Record<string, Uint8Array> = {};
  const blobs: Record<string, ArtifactBlobEntry> = {};
  for (const name of Object.keys(state.blobs).sort()) {
    if (!BLOB_NAME.test(name)) {
      throw new Error(`blob name "${name}" must match ${BLOB_NAME} (it becomes a file name)`);
    }
    const blob = state.blobs[name];
    const bytes = blobToLittleEndianBytes(blob);
    const file = blobFileName(name);
    files[file] = bytes;
    blobs[name] = {
      file,
      dtype: blobDtype(blob),
      length: blob.length,
      byteLength: bytes.length,
      sha256: sha256Hex(bytes),
    };
  }
  for (const [name, value] of Object.entries(info.metrics ?? {})) {
    if (!Number.isFinite(value))
      throw new Error(`metric "${name}" is ${value}; manifest metrics must be finite numbers`);
  }
  const manifest: ArtifactManifest = {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    kind: state.kind,
    params: state.params,
    meta: state.meta,
    createdAt: info.createdAt,
    version: info.version ?? null,
    metrics: info.metrics ?? {},
    trainingFingerprint: info.trainingFingerprint ?? null,
    blobs,
  };
  files[MANIFEST_FILE] = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
  return { files, manifest };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and validates `manifest.json` bytes. Adapters call this first to learn which blob
 * files to read; `decodeArtifact` calls it too.
 */
export function parseArtifactManifest(bytes: Uint8Array): ArtifactManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`${MANIFEST_FILE} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(raw)) throw new Error(`${MANIFEST_FILE} must hold a JSON object`);
  if (!('formatVersion' in raw)) {
    throw new Error(`${MANIFEST_FILE} has no formatVersion; it is not an Encore model artifact`);
  }
  if (raw['formatVersion'] !== ARTIFACT_FORMAT_VERSION) {
    throw new Error(
      `${MANIFEST_FILE} has format version ${JSON.stringify(raw['formatVersion'])}; ` +
        `this build reads format version ${ARTIFACT_FORMAT_VERSION} only (retrain or upgrade the reader)`,
    );
  }
  const bad = (field: string, why: string): never => {
    throw new Error(`${MANIFEST_FILE}: ${field} ${why}`);
  };
  if (typeof raw['kind'] !== 'string' || raw['kind'] === '') bad('kind', 'must be a non-empty string');
  if (!isRecord(raw['params'])) bad('params', 'must be an object');
  if (!isRecord(raw['meta'])) bad('meta', 'must be an object');
  if (typeof raw['createdAt'] !== 'string') bad('createdAt', 'must be a string');
  if (raw['version'] !== null && typeof raw['version'] !== 'string') bad('version', 'must be a string or null');
  if (raw['trainingFingerprint'] !== null && typeof raw['trainingFingerprint'] !== 'string') {
    bad('trainingFingerprint', 'must be a string or null');
  }
  const metrics = raw['metrics'];
  if (!isRecord(metrics)) bad('metrics', 'must be an object');
  for (const [name, v] of Object.entries(metrics as Record<string, unknown>)) {
    if (typeof v !== 'number') bad(`metrics.${name}`, 'must be a number');
  }
  const blobs = raw['blobs'];
  if (!isRecord(blobs)) bad('blobs', 'must be an object');
  for (const [name, entry] of Object.entries(blobs as Record<string, unknown>)) {
    const field = `blobs.${name}`;
    if (!BLOB_NAME.test(name)) bad(field, 'has an invalid blob name');
    if (!isRecord(entry)) bad(field, 'must be an object');
    const e = entry as Record<string, unknown>;
    if (e['file'] !== blobFileName(name)) bad(`${field}.file`, `must be "${blobFileName(name)}"`);
    if (typeof e['dtype'] !== 'string' || !(e['dtype'] in DTYPES)) {
      bad(`${field}.dtype`, `must be one of ${Object.keys(DTYPES).join(', ')}`);
    }
    const width = DTYPES[e['dtype'] as BlobDtype].BYTES_PER_ELEMENT;
    if (!Number.isSafeInteger(e['length']) || (e['length'] as number) < 0)
      bad(`${field}.length`, 'must be an integer ≥ 0');
    if (e['byteLength'] !== (e['length'] as number) * width) {
      bad(`${field}.byteLength`, `must be length × ${width} = ${(e['length'] as number) * width}`);
    }
    if (typeof e['sha256'] !== 'string' || !HEX_SHA256.test(e['sha256']))
      bad(`${field}.sha256`, 'must be 64 lower-case hex digits');
  }
  return raw as unknown as ArtifactManifest;
}

/**
 * Reads artifact files back into a model state, refusing anything that does not match its
 * manifest: a missing, truncated or altered blob is an error naming the file.
 */
export function decodeArtifact(files: Record<string, Uint8Array>): { state: ModelState; manifest: ArtifactManifest } {
  const manifestBytes = files[MANIFEST_FILE];
  if (!manifestBytes) throw new Error(`artifact has no ${MANIFEST_FILE}`);
  const manifest = parseArtifactManifest(manifestBytes);
  const blobs: Record<string, Blob> = {};
  for (const [name, entry] of Object.entries(manifest.blobs)) {
    const bytes = files[entry.file];
    if (!bytes) throw new Error(`${entry.file} (blob "${name}") is missing from the artifact`);
    if (bytes.length !== entry.byteLength) {
      throw new Error(
        `${entry.file} is ${bytes.length} bytes but the manifest says ${entry.byteLength} ` +
          `(${entry.length} × ${entry.dtype}); the file is ${bytes.length < entry.byteLength ? 'truncated' : 'too long'}`,
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      throw new Error(
        `${entry.file} has sha256 ${actual} but the manifest says ${entry.sha256}; the file is corrupt or was altered`,
      );
    }
    blobs[name] = blobFromLittleEndianBytes(bytes, entry.dtype);
  }
  return { state: { kind: manifest.kind, params: manifest.params, blobs, meta: manifest.meta }, manifest };
}
