import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import {
  CONTRACT_FACTS,
  CONTRACT_INTERACTIONS,
  CONTRACT_SONGS,
  type RecommenderContractFixture,
} from '@encore/recommender-port/testing';
import { decodeArtifact, encodeArtifact, type ArtifactManifest, type ModelState } from '@encore/model-artifact';
import type { EngineArtifactStore, EngineLog } from './lib/engine-artifact-store';
import {
  EngineRecommenderProvider,
  type EngineRecommenderProviderOptions,
  type InteractionFeedBatch,
} from './lib/engine-recommender-provider';
import type { EngineInteraction } from './lib/engine-model';

/** Audio-feature centres per genre, so content similarity separates the three genres. */
const GENRE_FEATURES = {
  rock: { energy: 0.9, acousticness: 0.1, danceability: 0.5, valence: 0.5, instrumentalness: 0.1 },
  jazz: { energy: 0.35, acousticness: 0.8, danceability: 0.4, valence: 0.4, instrumentalness: 0.8 },
  pop: { energy: 0.7, acousticness: 0.2, danceability: 0.9, valence: 0.85, instrumentalness: 0.0 },
} as const;

/** The contract world's 24 songs as a Catalog (equal catalog popularity, small per-song feature jitter). */
export function contractCatalog(): Catalog {
  return Catalog.fromSongs(
    CONTRACT_SONGS.map((s, i) => {
      const centre = GENRE_FEATURES[s.genre];
      const jitter = ((i % 8) - 3.5) * 0.01;
      return songFixture(s.id, {
        name: s.name,
        artists: [s.artist],
        genres: [s.genre],
        popularity: 50,
        features: {
          energy: centre.energy + jitter,
          acousticness: centre.acousticness - jitter,
          danceability: centre.danceability + jitter,
          valence: centre.valence,
          instrumentalness: centre.instrumentalness,
        },
      });
    }),
  );
}

/** The contract world's interactions with increasing timestamps. */
export function contractInteractions(start = Date.UTC(2024, 0, 1)): EngineInteraction[] {
  return CONTRACT_INTERACTIONS.map((e, i) => ({ ...e, timestamp: start + i * 60_000 }));
}

/** A started engine provider over the contract world. */
export async function contractEngineProvider(
  options: Partial<EngineRecommenderProviderOptions> = {},
): Promise<EngineRecommenderProvider> {
  const events = contractInteractions();
  const provider = new EngineRecommenderProvider({
    catalog: contractCatalog(),
    interactions: () => events,
    // Tiny data: a small, quick ALS.
    model: { als: { factors: 4, iterations: 5, regularization: 0.1 } },
    ...options,
  });
  await provider.start();
  return provider;
}

/** The fixture `describeRecommenderProviderContract` runs the engine against. */
export async function engineContractFixture(): Promise<RecommenderContractFixture> {
  return { ...CONTRACT_FACTS, provider: await contractEngineProvider() };
}

/** Errors shaped like @encore/artifact-store's ArtifactStoreError (a `code` the provider and the API read). */
export class StoreFailure extends Error {
  constructor(
    readonly code: 'not-found' | 'corrupt' | 'exists',
    message: string,
  ) {
    super(message);
  }
}

/**
 * An in-memory EngineArtifactStore that keeps each version as encoded artifact files and decodes
 * (checksums verified) on every load, so tests can corrupt a stored file and see it refused.
 */
export class MemoryEngineArtifactStore implements EngineArtifactStore {
  readonly versions = new Map<string, Record<string, Uint8Array>>();
  active: string | null = null;
  /** Every load() call's version, in order. */
  readonly loads: string[] = [];

  async publish(
    state: ModelState,
    info: { version?: string; createdAt?: string; metrics?: Record<string, number>; trainingFingerprint?: string } = {},
  ): Promise<{ version: string; manifest: ArtifactManifest }> {
    const version = info.version ?? `v${this.versions.size + 1}`;
    if (this.versions.has(version)) throw new StoreFailure('exists', `model version "${version}" already exists`);
    const { files, manifest } = encodeArtifact(state, { createdAt: new Date().toISOString(), ...info, version });
    this.versions.set(version, files);
    return { version, manifest };
  }

  async load(version: string): Promise<{ version: string; state: ModelState; manifest: ArtifactManifest }> {
    this.loads.push(version);
    const files = this.versions.get(version);
    if (!files) throw new StoreFailure('not-found', `no model version "${version}"`);
    try {
      return { version, ...decodeArtifact(files) };
    } catch (error) {
      throw new StoreFailure('corrupt', `model version "${version}" is unusable: ${(error as Error).message}`);
    }
  }

  async activeVersion(): Promise<string | null> {
    return this.active;
  }

  async activate(version: string): Promise<void> {
    await this.load(version);
    this.active = version;
  }

  /** Flips one bit in the first blob file of `version`: a corrupted or tampered artifact. */
  tamper(version: string): string {
    const files = this.versions.get(version);
    const file = Object.keys(files ?? {}).find((f) => f.startsWith('blobs/') && (files?.[f].length ?? 0) > 0);
    if (!files || !file) throw new Error(`no blob to tamper with in ${version}`);
    const copy = files[file].slice();
    copy[0] ^= 0x01;
    files[file] = copy;
    return file;
  }
}

/**
 * An append-only interaction log with the InteractionStore feed's shape: the cursor is the number
 * of events read so far. `reads` records every cursor the provider asked from (undefined = the start).
 */
export class MemoryInteractionLog {
  readonly events: EngineInteraction[] = [];
  readonly reads: (string | undefined)[] = [];

  constructor(
    events: readonly EngineInteraction[] = [],
    private readonly batchSize = 50,
  ) {
    this.events.push(...events);
  }

  append(...events: EngineInteraction[]): void {
    this.events.push(...events);
  }

  readonly feed = (cursor: string | undefined): AsyncIterable<InteractionFeedBatch> => {
    this.reads.push(cursor);
    const events = this.events;
    const size = this.batchSize;
    return (async function* () {
      for (let from = cursor === undefined ? 0 : Number(cursor); from < events.length; from += size) {
        const items = events.slice(from, from + size);
        yield { items, cursor: String(from + items.length) };
      }
    })();
  };
}

/** An EngineLog that keeps every message, by level. */
export function recordingLog(): EngineLog & { messages: { level: string; message: string }[] } {
  const messages: { level: string; message: string }[] = [];
  return {
    messages,
    log: (message) => messages.push({ level: 'log', message }),
    warn: (message) => messages.push({ level: 'warn', message }),
    error: (message) => messages.push({ level: 'error', message }),
  };
}
