export { type ModelState, type Blob } from './lib/model-state';
export {
  ARTIFACT_FORMAT_VERSION,
  MANIFEST_FILE,
  encodeArtifact,
  decodeArtifact,
  parseArtifactManifest,
  blobFileName,
  blobDtype,
  type ArtifactManifest,
  type ArtifactBlobEntry,
  type ArtifactInfo,
  type EncodedArtifact,
  type BlobDtype,
} from './lib/artifact';
export { Sha256, sha256Hex, bytesToHex } from './lib/sha256';
export { fingerprintInteractions, type FingerprintedInteraction } from './lib/fingerprint';
