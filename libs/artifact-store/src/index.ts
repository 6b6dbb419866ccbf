export {
  ArtifactStore,
  ArtifactStoreError,
  PUBLISH_STEPS,
  assertVersionName,
  generateVersionName,
  compareNewestFirst,
  type ArtifactStoreErrorCode,
  type LoadedArtifact,
  type PublishInfo,
  type PublishStep,
  type StoredArtifact,
} from './lib/artifact-store';
export { LocalArtifactStore, readArtifactDirectory, ACTIVE_FILE, TEMP_PREFIX } from './lib/local-artifact-store';
