import type { Catalog } from '@encore/catalog';
import {
  ImplicitAls,
  ItemKnn,
  type AlsTaskRunner,
  type ImplicitAlsOptions,
  type ItemKnnOptions,
} from '@encore/collaborative';
import { ContentRecommender, songFeatures, type ContentRecommenderOptions, type ItemFeatures } from '@encore/content';
import {
  buildInteractionMatrix,
  DEFAULT_EVENT_WEIGHTS,
  type FitReport,
  type InteractionEvent,
  type InteractionMatrix,
  type SongFeatureEncoderOptions,
} from '@encore/features';
import {
  HybridRanker,
  PopularityRanker,
  catalogPopularityFor,
  itemGenresFromCatalog,
  type HybridComponent,
} from '@encore/hybrid';
import type { ModelState } from '@encore/model-artifact';
import type { Strategy } from '@encore/recommender-port';
import { stratifiedSplit } from '@encore/evaluation';
import { createHash } from 'node:crypto';
import { decodeEngineBundle, encodeEngineBundle } from './engine-artifact';
import {
  relevantByListener,
  searchEngineWeights,
  type EngineWeightSearchOptions,
  type EngineWeightSearchReport,
} from './engine-weight-search';

/** Blend weights of the served hybrid, per component. */
export interface EngineWeights {
  als: number;
  itemKnn: number;
  content: number;
  popularity: number;
}

export interface EngineModelOptions {
  weights: EngineWeights;
  /**
   * Blend for a known listener's feedback since training, ranked on its own ("more like what you
   * just liked"): content-led, because a few fresh likes say more about sound than about co-listening.
   */
  recentWeights: EngineWeights;
  als: Partial<ImplicitAlsOptions>;
  itemKnn: Partial<ItemKnnOptions>;
  content: Partial<ContentRecommenderOptions>;
  /** Song vectors for content similarity ("sounds like"). */
  features: SongFeatureEncoderOptions;
  /** Share of Spotify's catalog popularity in the popularity ranking, so unplayed songs are not all tied. */
  popularityCatalogBlend: number;
  /** Depth of each component's candidate list in the hybrid blend. */
  candidates: number;
  /**
   * Share of collaborative (item-kNN) similarity in "more like this" when the seed has been played by at
   * least `similarMinListeners` listeners; the rest is content similarity.
   */
  similarCfShare: number;
  similarMinListeners: number;
  /**
   * Choose the content and popularity weights of `weights` on a validation split carved from the
   * training interactions, each time a model is trained. Off (false), or when the caller gives
   * either weight: `weights` are used as given.
   */
  weightSearch: EngineWeightSearchOptions | false;
}

/**
 * The embedded default: collaborative signals lead, content keeps unplayed songs reachable and
 * steers short histories, popularity breaks ties for thin profiles. With enough listeners the
 * content and popularity weights are then re-chosen on validation data at every training
 * (weightSearch), keeping the simplest blend within one standard error of the best: on data where
 * content adds nothing measurable that is collaborative filtering alone.
 */
export const DEFAULT_ENGINE_MODEL_OPTIONS: Readonly<EngineModelOptions> = Object.freeze({
  weights: Object.freeze({ als: 0.3, itemKnn: 0.4, content: 0.2, popularity: 0.1 }),
  recentWeights: Object.freeze({ als: 0.1, itemKnn: 0.3, content: 0.6, popularity: 0 }),
  als: Object.freeze({ factors: 32, iterations: 10, regularization: 30, alpha: 3 }),
  itemKnn: Object.freeze({ neighbours: 100, shrinkage: 10 }),
  content: Object.freeze({}),
  features: Object.freeze({}),
  popularityCatalogBlend: 0.3,
  candidates: 200,
  similarCfShare: 0.35,
  similarMinListeners: 3,
  weightSearch: Object.freeze({
    content: Object.freeze([0, 0.05, 0.1, 0.2, 0.4]),
    popularity: Object.freeze([0, 0.1]),
    ratio: 0.8,
    seed: 42,
    k: 10,
    minListeners: 50,
    maxListeners: 2000,
  }),
});

/** One interaction as the engine reads it; the interaction store's rows already have this shape. */
export interface EngineInteraction {
  userId: string;
  songId: string;
  /** 'play' | 'like' | 'skip' | 'dislike' */
  event: string;
  /** epoch ms */
  timestamp: number;
  /** Multiplies the event weight (e.g. a play count); default 1. */
  weight?: number;
}

export interface EngineTrainingReport {
  users: number;
  songs: number;
  events: number;
  /** Events whose song is not in the catalog (left out). */
  unknownSongs: number;
  nnz: number;
  elapsedMs: number;
  components: Record<string, FitReport>;
  /** How `options.weights` were chosen; absent when the search is off. */
  weightSearch?: EngineWeightSearchReport;
}

/** The fitted components every strategy of an EngineModel blends. */
export interface EngineComponents {
  als: ImplicitAls;
  itemKnn: ItemKnn;
  content: ContentRecommender;
  popularity: PopularityRanker;
}

/**
 * Where a model's training data ends in a resumable interaction feed: `cursor` is the feed position
 * after the last event read (null: the feed was empty, so every event is newer). A model trained
 * from a plain interaction source has no position (null), and nothing can be replayed on top of it.
 */
export interface FeedPosition {
  cursor: string | null;
}

/** Everything an EngineModel is made of; the strategy rankers are derived from it. */
export interface EngineModelParts extends EngineComponents {
  version: string;
  catalog: Catalog;
  data: InteractionMatrix;
  options: EngineModelOptions;
  eventWeights: Readonly<Record<string, number>>;
  report: EngineTrainingReport;
  trainedAt: number;
  trainedThrough: FeedPosition | null;
}

/**
 * A trained, immutable model as served: the interaction matrix over the whole catalog (item
 * index = catalog index, so every song can be recommended or used as a seed), the fitted
 * components, one HybridRanker per strategy over the same components, and a version string.
 * The provider swaps whole EngineModels, never mutates one. `toArtifact()`/`fromArtifact()`
 * save and restore the whole bundle (see engine-artifact.ts).
 */
export class EngineModel implements EngineComponents {
  readonly version: string;
  readonly catalog: Catalog;
  readonly data: InteractionMatrix;
  readonly options: EngineModelOptions;
  readonly eventWeights: Readonly<Record<string, number>>;
  readonly als: ImplicitAls;
  readonly itemKnn: ItemKnn;
  readonly content: ContentRecommender;
  readonly popularity: PopularityRanker;
  readonly rankers: Readonly<Record<Strategy, HybridRanker>>;
  /** Ranks a known listener's feedback since training on its own (EngineModelOptions.recentWeights). */
  readonly recentRanker: HybridRanker;
  readonly report: EngineTrainingReport;
  readonly trainedAt: number;
  readonly trainedThrough: FeedPosition | null;

  constructor(parts: EngineModelParts) {
    this.version = parts.version;
    this.catalog = parts.catalog;
    this.data = parts.data;
    this.options = parts.options;
    this.eventWeights = parts.eventWeights;
    this.als = parts.als;
    this.itemKnn = parts.itemKnn;
    this.content = parts.content;
    this.popularity = parts.popularity;
    this.report = parts.report;
    this.trainedAt = parts.trainedAt;
    this.trainedThrough = parts.trainedThrough;
    // Rankers only blend the fitted components, so they are rebuilt (cheaply) rather than stored.
    const w = parts.options.weights;
    this.rankers = {
      hybrid: this.ranker(w),
      cf: this.ranker({ als: w.als, itemKnn: w.itemKnn, content: 0, popularity: 0 }),
      content: this.ranker({ als: 0, itemKnn: 0, content: 1, popularity: 0 }),
      popular: this.ranker({ als: 0, itemKnn: 0, content: 0, popularity: 1 }),
    };
    this.recentRanker = this.ranker(parts.options.recentWeights);
  }

  /** Content vectors, rows aligned with the catalog. */
  get features(): ItemFeatures {
    return this.content.features;
  }

  /** Listeners who interacted positively with item i in the training data. */
  listenersOf(item: number): number {
    const byItem = this.data.itemUsers;
    let n = 0;
    for (let p = byItem.rowPtr[item]; p < byItem.rowPtr[item + 1]; p++) if (byItem.values[p] > 0) n++;
    return n;
  }

  /** The whole bundle (components, options, report, catalog fingerprint) as one artifact state. */
  toArtifact(): ModelState {
    return encodeEngineBundle(this);
  }

  /**
   * Restores a bundle saved by toArtifact() over `catalog`. Throws an EngineArtifactError when the
   * state is not an engine bundle or was trained on another catalog (the item indices would be wrong).
   * `version` overrides the stored version string (the artifact store's name for it).
   */
  static fromArtifact(state: ModelState, catalog: Catalog, options: { version?: string } = {}): EngineModel {
    const decoded = decodeEngineBundle(state, catalog);
    return new EngineModel({ ...decoded, version: options.version ?? decoded.version, catalog });
  }

  private ranker(weights: EngineWeights): HybridRanker {
    const parts: HybridComponent[] = [
      { name: 'als', model: this.als, weight: weights.als },
      { name: 'item-knn', model: this.itemKnn, weight: weights.itemKnn },
      { name: 'content', model: this.content, weight: weights.content },
      { name: 'popularity', model: this.popularity, weight: weights.popularity },
    ];
    const r = new HybridRanker(parts, { candidates: this.options.candidates, fitComponents: false });
    r.fit(this.data);
    return r;
  }
}

/** Reads every interaction of a source that yields rows, arrays of rows, or store batches (`{ items }`). */
export type InteractionSource = AsyncIterable<InteractionChunk> | Iterable<InteractionChunk>;
export type InteractionChunk =
  EngineInteraction | readonly EngineInteraction[] | { items: readonly EngineInteraction[] };

export async function readInteractions(source: InteractionSource): Promise<EngineInteraction[]> {
  const out: EngineInteraction[] = [];
  for await (const chunk of source as AsyncIterable<InteractionChunk>) {
    if (Array.isArray(chunk)) for (const e of chunk as readonly EngineInteraction[]) out.push(e);
    else if ('items' in chunk && Array.isArray(chunk.items)) for (const e of chunk.items) out.push(e);
    else out.push(chunk as EngineInteraction);
  }
  return out;
}

export interface TrainEngineModelInput {
  catalog: Catalog;
  interactions: readonly EngineInteraction[];
  /** Merged over the engine defaults (play 1, like 4, skip -1); dislikes are never weighted. */
  eventWeights?: Record<string, number>;
  options?: Partial<EngineModelOptions>;
  /** Epoch ms used in the version string; default now. */
  now?: number;
  /** Where `interactions` end in a resumable feed, kept with the model so later events can be replayed on it. */
  trainedThrough?: FeedPosition | null;
}

/**
 * Trains the default hybrid (ALS + item-kNN + content + popularity) on the whole catalog, after
 * choosing its weights on a validation split (EngineModelOptions.weightSearch: one more fit on
 * the split's training part). Synchronous and CPU-bound: ~0.35 s on the 4.7K-song sample with ~38K
 * events without the search, which adds ~0.5–1.5 s (that fit, then every listener's candidate lists).
 */
export function trainEngineModel(input: TrainEngineModelInput): EngineModel {
  const plan = planWeightSearch(input);
  if (!plan) return fitEngineModel(input);
  const start = performance.now();
  const report = 'skipped' in plan ? plan.skipped : searchWeights(plan, fitEngineModel(plan.fit));
  return withWeightSearch(fitEngineModel(withSearchedWeights(input, report)), report, start);
}

function fitEngineModel(input: TrainEngineModelInput): EngineModel {
  const run = startEngineTraining(input);
  const als = new ImplicitAls(run.options.als);
  return finishEngineTraining(input, run, als, als.fit(run.data));
}

/**
 * trainEngineModel with the ALS phases handed to `alsRunner` (e.g. a WorkerAlsRunner from
 * `@encore/worker-pool`, on worker threads). The ALS factors, and so the model, are bit-for-bit
 * those of trainEngineModel: each phase's tasks write disjoint rows.
 */
export async function trainEngineModelWith(
  input: TrainEngineModelInput,
  alsRunner: AlsTaskRunner,
): Promise<EngineModel> {
  const plan = planWeightSearch(input);
  if (!plan) return fitEngineModelWith(input, alsRunner);
  const start = performance.now();
  const report = 'skipped' in plan ? plan.skipped : searchWeights(plan, await fitEngineModelWith(plan.fit, alsRunner));
  return withWeightSearch(await fitEngineModelWith(withSearchedWeights(input, report), alsRunner), report, start);
}

async function fitEngineModelWith(input: TrainEngineModelInput, alsRunner: AlsTaskRunner): Promise<EngineModel> {
  const run = startEngineTraining(input);
  const als = new ImplicitAls(run.options.als);
  return finishEngineTraining(input, run, als, await als.fitWith(run.data, alsRunner));
}

/** The weight search's split of the training input, or why it does not run. */
type WeightSearchPlan =
  | { skipped: EngineWeightSearchReport }
  | { options: EngineWeightSearchOptions; fit: TrainEngineModelInput; validation: Map<string, Set<string>> };

/** null when the search is off; the split is per listener, as the offline evaluation's. */
function planWeightSearch(input: TrainEngineModelInput): WeightSearchPlan | null {
  const options = mergeOptions(input.options).weightSearch;
  if (!options) return null;
  const given = input.options?.weights;
  if (given?.content !== undefined || given?.popularity !== undefined) {
    const reason = 'the content or popularity weight was given';
    return { skipped: { status: 'skipped', reason, validationListeners: 0 } };
  }
  const rows = input.interactions.map((e) => ({
    userId: e.userId,
    itemId: e.songId,
    event: e.event,
    weight: e.weight,
    row: e,
  }));
  const { train, test } = stratifiedSplit(rows, { ratio: options.ratio, seed: options.seed });
  const validation = relevantByListener(test);
  if (validation.size < options.minListeners) {
    const reason = `${validation.size} validation listeners, fewer than ${options.minListeners}`;
    return { skipped: { status: 'skipped', reason, validationListeners: validation.size } };
  }
  const fit = {
    ...input,
    interactions: train.map((r) => r.row),
    options: { ...input.options, weightSearch: false as const },
  };
  return { options, fit, validation };
}

function searchWeights(
  plan: Extract<WeightSearchPlan, { fit: unknown }>,
  model: EngineModel,
): EngineWeightSearchReport {
  const { data, als, itemKnn, content, popularity, options } = model;
  const weights = { als: options.weights.als, itemKnn: options.weights.itemKnn };
  return searchEngineWeights(
    { data, als, itemKnn, content, popularity, weights, candidates: options.candidates },
    plan.validation,
    plan.options,
  );
}

function withSearchedWeights(input: TrainEngineModelInput, report: EngineWeightSearchReport): TrainEngineModelInput {
  if (report.status !== 'searched') return input;
  const weights = { ...mergeOptions(input.options).weights, ...report.chosen };
  return { ...input, options: { ...input.options, weights } };
}

/** Records the search in the report; its time (the search's own fit included) counts as training time. */
function withWeightSearch(model: EngineModel, report: EngineWeightSearchReport, start: number): EngineModel {
  model.report.weightSearch = report;
  model.report.elapsedMs = performance.now() - start;
  return model;
}

/** What every component is fitted on: the merged options and the interaction matrix over the catalog. */
interface EngineTrainingRun {
  start: number;
  options: EngineModelOptions;
  eventWeights: Record<string, number>;
  data: InteractionMatrix;
  events: number;
  unknownSongs: number;
}

function startEngineTraining(input: TrainEngineModelInput): EngineTrainingRun {
  const start = performance.now();
  const { catalog } = input;
  const options = mergeOptions(input.options);
  const eventWeights = { ...DEFAULT_EVENT_WEIGHTS, ...(input.eventWeights ?? {}) };
  let unknownSongs = 0;
  const events: InteractionEvent[] = [];
  for (const e of input.interactions) {
    if (catalog.indexOf(e.songId) < 0) {
      unknownSongs++;
      continue;
    }
    events.push({ userId: e.userId, itemId: e.songId, event: e.event, weight: e.weight, timestamp: e.timestamp });
  }
  const data = buildInteractionMatrix(events, { items: catalog.ids, eventWeights });
  return { start, options, eventWeights, data, events: events.length, unknownSongs };
}

/** Fits the components after ALS (fitted by the caller, `alsReport`) and assembles the model. */
function finishEngineTraining(
  input: TrainEngineModelInput,
  run: EngineTrainingRun,
  als: ImplicitAls,
  alsReport: FitReport,
): EngineModel {
  const { catalog } = input;
  const { start, options, eventWeights, data, events, unknownSongs } = run;
  const components: Record<string, FitReport> = { als: alsReport };
  const itemKnn = new ItemKnn(options.itemKnn);
  components['itemKnn'] = itemKnn.fit(data);
  const featuresStart = performance.now();
  const features = songFeatures(catalog, options.features);
  const featureMs = performance.now() - featuresStart;
  const content = new ContentRecommender(features, options.content);
  components['content'] = content.fit(data);
  components['content'].elapsedMs += featureMs;
  const popularity = new PopularityRanker({
    catalogBlend: options.popularityCatalogBlend,
    catalogPopularity: catalogPopularityFor(catalog, data.itemIds),
    itemGenres: itemGenresFromCatalog(catalog, data.itemIds),
  });
  components['popularity'] = popularity.fit(data);

  const now = input.now ?? Date.now();
  const report: EngineTrainingReport = {
    users: data.users,
    songs: data.items,
    events,
    unknownSongs,
    nnz: data.nnz,
    elapsedMs: 0,
    components,
  };
  const model = new EngineModel({
    version: `engine-${compactTimestamp(now)}-${fingerprint(data, options, eventWeights)}`,
    catalog,
    data,
    options,
    eventWeights,
    als,
    itemKnn,
    content,
    popularity,
    report,
    trainedAt: now,
    trainedThrough: input.trainedThrough ?? null,
  });
  report.elapsedMs = performance.now() - start;
  return model;
}

function mergeOptions(given: Partial<EngineModelOptions> = {}): EngineModelOptions {
  const d = DEFAULT_ENGINE_MODEL_OPTIONS;
  const o: EngineModelOptions = {
    ...d,
    ...given,
    weights: { ...d.weights, ...(given.weights ?? {}) },
    recentWeights: { ...d.recentWeights, ...(given.recentWeights ?? {}) },
    als: { ...d.als, ...(given.als ?? {}) },
    itemKnn: { ...d.itemKnn, ...(given.itemKnn ?? {}) },
    content: { ...d.content, ...(given.content ?? {}) },
    features: { ...d.features, ...(given.features ?? {}) },
    weightSearch:
      given.weightSearch === false || d.weightSearch === false
        ? false
        : { ...d.weightSearch, ...(given.weightSearch ?? {}) },
  };
  for (const [name, weight] of [...Object.entries(o.weights), ...Object.entries(o.recentWeights)]) {
    if (!(Number.isFinite(weight) && weight >= 0))
      throw new Error(`engine: weight of ${name} must be ≥ 0, got ${weight}`);
  }
  if (!(o.similarCfShare >= 0 && o.similarCfShare <= 1))
    throw new Error(`engine: similarCfShare must be within 0…1, got ${o.similarCfShare}`);
  if (o.weightSearch) checkWeightSearch(o.weightSearch);
  return o;
}

function checkWeightSearch(s: EngineWeightSearchOptions): void {
  for (const name of ['content', 'popularity'] as const) {
    const list = s[name];
    if (!(Array.isArray(list) && list.length > 0 && list.every((w) => Number.isFinite(w) && w >= 0)))
      throw new Error(`engine: weightSearch.${name} must be a non-empty list of weights ≥ 0`);
  }
  if (!(s.ratio > 0 && s.ratio < 1))
    throw new Error(`engine: weightSearch.ratio must be within (0, 1), got ${s.ratio}`);
  for (const name of ['k', 'minListeners', 'maxListeners'] as const) {
    if (!(Number.isInteger(s[name]) && s[name] >= 1))
      throw new Error(`engine: weightSearch.${name} must be an integer ≥ 1, got ${s[name]}`);
  }
}

/** 2026-11-25T11:59:58.123Z → 20261125T115958Z */
function compactTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** First 8 hex digits of a SHA-256 over the training data and options: same data, same fingerprint. */
function fingerprint(data: InteractionMatrix, options: EngineModelOptions, weights: Record<string, number>): string {
  const h = createHash('sha256');
  const m = data.matrix;
  for (const a of [m.rowPtr, m.colIdx, m.values]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  if (data.dislikes) {
    const d = data.dislikes;
    for (const a of [d.rowPtr, d.colIdx]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(JSON.stringify(data.userIds));
  h.update(JSON.stringify(data.itemIds));
  h.update(JSON.stringify({ options, weights }));
  return h.digest('hex').slice(0, 8);
}
