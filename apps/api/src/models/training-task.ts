import { openArtifactStore, type ArtifactStoreLocation } from '@encore/artifact-store';
import { Catalog, type AudioFeature } from '@encore/catalog';
import {
  engineTrainingFingerprint,
  publishEngineModel,
  trainAndEvaluateEngineModel,
  type EngineInteraction,
  type EngineModelOptions,
  type EngineTrainingReport,
  type EngineTrainingResult,
  type FeedPosition,
} from '@encore/provider-engine';
import type { Strategy } from '@encore/recommender-port';
import { alsWorkerTasks, WorkerAlsRunner, WorkerPool, type WorkerScript } from '@encore/worker-pool';

/**
 * A training job's work, shared by the worker thread (training-worker.ts) and the in-process runner:
 * plain data in (structured-clone friendly: strings, typed arrays, plain objects), a published
 * model version out. Kept free of Nest so the worker bundle stays small.
 */

/** The catalog's columns, to rebuild an identical Catalog on the other side of a thread boundary. */
export interface CatalogColumns {
  ids: string[];
  names: string[];
  albums: string[];
  artistNames: string[];
  artistOffsets: Int32Array;
  artistIds: Int32Array;
  genreNames: string[];
  genreOffsets: Int32Array;
  genreIds: Int32Array;
  popularity: Float32Array;
  durationMs: Float32Array;
  explicit: Uint8Array;
  audio: Record<AudioFeature, Float32Array>;
}

export function catalogColumns(c: Catalog): CatalogColumns {
  return {
    ids: c.ids,
    names: c.names,
    albums: c.albums,
    artistNames: c.artistNames,
    artistOffsets: c.artistOffsets,
    artistIds: c.artistIds,
    genreNames: c.genreNames,
    genreOffsets: c.genreOffsets,
    genreIds: c.genreIds,
    popularity: c.popularity,
    durationMs: c.durationMs,
    explicit: c.explicit,
    audio: c.audio,
  };
}

export function catalogFromColumns(c: CatalogColumns): Catalog {
  return new Catalog(
    c.ids,
    c.names,
    c.albums,
    c.artistNames,
    c.artistOffsets,
    c.artistIds,
    c.genreNames,
    c.genreOffsets,
    c.genreIds,
    c.popularity,
    c.durationMs,
    c.explicit,
    c.audio,
  );
}

/** The interaction log as columns: a few typed arrays cross a thread far faster than millions of small objects. */
export interface InteractionColumns {
  userIds: string[];
  /** Per event: index into userIds. */
  users: Int32Array;
  /** Per event: catalog index of the song. */
  songs: Int32Array;
  eventNames: string[];
  /** Per event: index into eventNames. */
  events: Uint8Array;
  timestamps: Float64Array;
  /** Events left out because their song is not in the catalog. */
  unknownSongs: number;
}

/** Collects events into InteractionColumns, dropping (and counting) songs the catalog does not have. */
export class InteractionColumnsBuilder {
  private readonly userIndex = new Map<string, number>();
  private readonly userIds: string[] = [];
  private readonly eventIndex = new Map<string, number>();
  private readonly eventNames: string[] = [];
  private users = new Int32Array(1024);
  private songs = new Int32Array(1024);
  private events = new Uint8Array(1024);
  private timestamps = new Float64Array(1024);
  private size = 0;
  private unknownSongs = 0;

  constructor(private readonly catalog: Catalog) {}

  add(e: EngineInteraction): void {
    const song = this.catalog.indexOf(e.songId);
    if (song < 0) {
      this.unknownSongs++;
      return;
    }
    if (this.size === this.users.length) this.grow();
    this.users[this.size] = intern(e.userId, this.userIndex, this.userIds);
    this.songs[this.size] = song;
    this.events[this.size] = intern(e.event, this.eventIndex, this.eventNames, 255);
    this.timestamps[this.size] = e.timestamp;
    this.size++;
  }

  build(): InteractionColumns {
    return {
      userIds: this.userIds,
      users: this.users.slice(0, this.size),
      songs: this.songs.slice(0, this.size),
      eventNames: this.eventNames,
      events: this.events.slice(0, this.size),
      timestamps: this.timestamps.slice(0, this.size),
      unknownSongs: this.unknownSongs,
    };
  }

  private grow(): void {
    const n = this.users.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.users = grown(this.users, new Int32Array(n));
    this.songs = grown(this.songs, new Int32Array(n));
    this.events = grown(this.events, new Uint8Array(n));
    this.timestamps = grown(this.timestamps, new Float64Array(n));
  }
}

function intern(value: string, index: Map<string, number>, list: string[], max = Infinity): number {
  let i = index.get(value);
  if (i === undefined) {
    i = list.length;
    if (i > max) throw new Error(`more than ${max + 1} distinct event kinds`);
    index.set(value, i);
    list.push(value);
  }
  return i;
}

export function interactionsFromColumns(c: InteractionColumns, catalog: Catalog): EngineInteraction[] {
  const out: EngineInteraction[] = new Array(c.users.length);
  for (let i = 0; i < c.users.length; i++) {
    out[i] = {
      userId: c.userIds[c.users[i]],
      songId: catalog.ids[c.songs[i]],
      event: c.eventNames[c.events[i]],
      timestamp: c.timestamps[i],
    };
  }
  return out;
}

/** The typed arrays of `c` that may be moved (not copied) to the worker: they are built for the job alone. */
export function interactionTransferables(c: InteractionColumns): ArrayBuffer[] {
  return [c.users, c.songs, c.events, c.timestamps].map((a) => a.buffer as ArrayBuffer);
}

export interface TrainingInput {
  catalog: CatalogColumns;
  interactions: InteractionColumns;
  /** Where the interactions end in the store's feed, kept in the model for replay after a restart. */
  trainedThrough: FeedPosition;
  eventWeights: Record<string, number>;
  options: Partial<EngineModelOptions>;
  /** The strategy scored on the held-out split. */
  strategy: Strategy;
  /** The store the new version is published to (not activated): the server's own, reopened here. */
  artifacts: ArtifactStoreLocation;
  /** Worker threads for the ALS phases (a pool running `script`: als-worker); absent: ALS on this thread. */
  alsWorkers?: { threads: number; script: WorkerScript };
}

export interface TrainingOutput {
  version: string;
  metrics: Record<string, number>;
  /** True when the same data and options had already been published under this version within the same second. */
  reused: boolean;
  report: EngineTrainingReport;
}

export type TrainingProgress = (progress: number, step: string) => void;

/** Messages from the training worker to the API thread. */
export type TrainingWorkerMessage =
  | { type: 'progress'; progress: number; step: string }
  | { type: 'done'; output: TrainingOutput }
  | { type: 'failed'; error: string };

/** Rebuilds the inputs, evaluates on a held-out split, trains on everything and publishes the new version. */
export async function runTraining(input: TrainingInput, progress: TrainingProgress): Promise<TrainingOutput> {
  // Started first, so the pool's threads boot while the inputs are rebuilt; closed before publishing.
  const pool = input.alsWorkers
    ? new WorkerPool<typeof alsWorkerTasks>(input.alsWorkers.script, input.alsWorkers.threads)
    : null;
  let trained: EngineTrainingResult;
  let interactions: EngineInteraction[];
  try {
    const catalog = catalogFromColumns(input.catalog);
    interactions = interactionsFromColumns(input.interactions, catalog);
    trained = await trainAndEvaluateEngineModel({
      catalog,
      interactions,
      eventWeights: input.eventWeights,
      options: input.options,
      trainedThrough: input.trainedThrough,
      evaluation: { strategy: input.strategy },
      onProgress: progress,
      alsRunner: pool ? new WorkerAlsRunner(pool) : undefined,
    });
  } finally {
    await pool?.close();
  }
  const { model, metrics } = trained;
  // Songs outside the catalog were dropped before the thread boundary; the report still counts them.
  model.report.unknownSongs += input.interactions.unknownSongs;
  progress(0.96, 'publishing the model');
  // Published from here, off the API thread: encoding hashes every blob.
  const { version, reused } = await publishEngineModel(openArtifactStore(input.artifacts), model, {
    metrics,
    trainingFingerprint: engineTrainingFingerprint(interactions),
  });
  return { version, metrics, reused, report: model.report };
}
