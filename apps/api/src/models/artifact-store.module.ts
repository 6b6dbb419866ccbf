import { Global, Module, type FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ArtifactStore, LocalArtifactStore, S3ArtifactStore } from '@encore/artifact-store';
import type { Environment } from '../config/environment';

/**
 * ARTIFACT_STORE picks where saved models live here, and only here; the abstract class is the token.
 * local: ARTIFACT_DIR (default <ENCORE_DATA_DIR>/models), created on first publish. s3: ARTIFACT_S3_BUCKET
 * under ARTIFACT_S3_PREFIX, SSE-KMS with ARTIFACT_S3_KMS_KEY_ID or else SSE-S3, credentials from the SDK's chain.
 * Training workers reopen the same store from `store.location`.
 */
export const artifactStoreProvider: FactoryProvider<ArtifactStore> = {
  provide: ArtifactStore,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Environment, true>): ArtifactStore => {
    if (config.get('ARTIFACT_STORE', { infer: true }) === 's3') {
      return new S3ArtifactStore({
        // Validation requires the bucket when ARTIFACT_STORE=s3.
        bucket: config.get('ARTIFACT_S3_BUCKET', { infer: true }) as string,
        prefix: config.get('ARTIFACT_S3_PREFIX', { infer: true }),
        region: config.get('AWS_REGION', { infer: true }),
        endpoint: config.get('S3_ENDPOINT', { infer: true }),
        kmsKeyId: config.get('ARTIFACT_S3_KMS_KEY_ID', { infer: true }),
      });
    }
    // Validation resolves ARTIFACT_DIR to an absolute path, so it is always set here.
    return new LocalArtifactStore(config.get('ARTIFACT_DIR', { infer: true }) as string);
  },
};

/** Global: the engine provider loads and saves models at start, the models module lists and activates them. */
@Global()
@Module({ providers: [artifactStoreProvider], exports: [ArtifactStore] })
export class ArtifactStoreModule {}
