export {
  ArtifactStore,
  ArtifactStoreError,
  PUBLISH_STEPS,
  assertVersionName,
  generateVersionName,
  compareNewestFirst,
  type ArtifactStoreErrorCode,
  type ArtifactStoreLocation,
  type LoadedArtifact,
  type LocalArtifactStoreLocation,
  type PublishInfo,
  type PublishStep,
  type S3ArtifactStoreLocation,
  type StoredArtifact,
} from './lib/artifact-store';
export { LocalArtifactStore, readArtifactDirectory, ACTIVE_FILE, TEMP_PREFIX } from './lib/local-artifact-store';
export {
  S3ArtifactStore,
  ACTIVE_OBJECT,
  DEFAULT_S3_PREFIX,
  normalizeS3Prefix,
  type S3ArtifactStoreOptions,
} from './lib/s3-artifact-store';
export { openArtifactStore, artifactStoreUrl, parseS3Url, S3_BUCKET_NAME } from './lib/open-artifact-store';
