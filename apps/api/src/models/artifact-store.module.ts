import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ArtifactStore, LocalArtifactStore } from '@encore/artifact-store';
import type { Environment } from '../config/environment';

/** Saved models in ARTIFACT_DIR (default <ENCORE_DATA_DIR>/models); the directory is created on first publish. */
export const artifactStoreProvider = {
  provide: ArtifactStore,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Environment, true>): ArtifactStore =>
    // Validation resolves ARTIFACT_DIR to an absolute path, so it is always set here.
    new LocalArtifactStore(config.get('ARTIFACT_DIR', { infer: true }) as string),
};

/** Global: the engine provider loads and saves models at start, the models module lists and activates them. */
@Global()
@Module({ providers: [artifactStoreProvider], exports: [ArtifactStore] })
export class ArtifactStoreModule {}
