import { fingerprintInteractions, type ArtifactManifest, type ModelState } from '@encore/model-artifact';
import type { EngineInteraction, EngineModel } from './engine-model';

/**
 * What the engine needs from a model store: the shape of @encore/artifact-store's ArtifactStore
 * (LocalArtifactStore satisfies it), declared here because adapters do not import one another.
 * `load` verifies every checksum and rejects with an error whose `code` is 'not-found' or 'corrupt';
 * `publish` rejects with code 'exists' for a version name already taken.
 */
export interface EngineArtifactStore {
  load(version: string): Promise<{ version: string; state: ModelState; manifest: ArtifactManifest }>;
  publish(
    state: ModelState,
    info?: { version?: string; createdAt?: string; metrics?: Record<string, number>; trainingFingerprint?: string },
  ): Promise<{ version: string; manifest: ArtifactManifest }>;
  activeVersion(): Promise<string | null>;
  activate(version: string): Promise<void>;
}

/** Where the provider reports what it did with the store (Nest's Logger has this shape). */
export interface EngineLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOG: EngineLog = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** `fingerprintInteractions` over the engine's rows: the manifest's trainingFingerprint. */
export function engineTrainingFingerprint(interactions: readonly EngineInteraction[]): string {
  return fingerprintInteractions(
    interactions.map((e) => ({
      userId: e.userId,
      itemId: e.songId,
      event: e.event,
      timestamp: e.timestamp,
      weight: e.weight,
    })),
  );
}

/**
 * Publishes the model under its own version name (not activated). The name is the training time
 * to the second plus a fingerprint of data and options, so the same data trained twice within one
 * second gets the same name: that version is then reused after checking it still loads.
 */
export async function publishEngineModel(
  store: EngineArtifactStore,
  model: EngineModel,
  info: { metrics?: Record<string, number>; trainingFingerprint?: string } = {},
): Promise<{ version: string; reused: boolean }> {
  try {
    const published = await store.publish(model.toArtifact(), {
      version: model.version,
      createdAt: new Date(model.trainedAt).toISOString(),
      ...info,
    });
    return { version: published.version, reused: false };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'exists') throw error;
    await store.load(model.version);
    return { version: model.version, reused: true };
  }
}
