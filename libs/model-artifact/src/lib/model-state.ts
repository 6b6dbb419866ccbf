/** A typed-array blob as stored in an artifact. */
export type Blob = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * Everything a fitted model needs to come back to life: its kind and parameters,
 * its numeric state as typed arrays, and small JSON metadata (id maps, vocabularies).
 * Models produce this from `toArtifact()` and take it in `fromArtifact()`; this
 * library turns it into files (manifest + binary blobs) and back, verifying checksums.
 */
export interface ModelState {
  kind: string;
  params: Record<string, unknown>;
  blobs: Record<string, Blob>;
  meta: Record<string, unknown>;
}
