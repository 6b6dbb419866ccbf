import type { Catalog } from '@encore/catalog';
import type { Scored } from '@encore/features';
import { postProcess, type GroupFilter, type PostProcessOptions } from '@encore/hybrid';
import { topK } from '@encore/linalg';
import {
  RecommenderProvider,
  UnknownSongError,
  type Diversity,
  type ProviderHealth,
  type ProviderInteraction,
  type RecommendationRequest,
  type RecommendationResult,
  type RecommendedSong,
  type SessionRecommendationRequest,
  type SimilarRequest,
  type Strategy,
} from '@encore/recommender-port';
import {
  EngineModel,
  readInteractions,
  trainEngineModel,
  type EngineInteraction,
  type EngineModelOptions,
  type EngineTrainingReport,
  type FeedPosition,
  type InteractionSource,
} from './engine-model';
import {
  engineTrainingFingerprint,
  publishEngineModel,
  SILENT_LOG,
  type EngineArtifactStore,
  type EngineLog,
} from './engine-artifact-store';
import { ListenerState } from './listener-state';
import { reasonText, songTitle } from './reason-text';

export const ENGINE_PROVIDER_NAME = 'engine';
const STRATEGIES: readonly Strategy[] = ['hybrid', 'cf', 'content', 'popular'];

export interface EngineRecommenderProviderOptions {
  /**
   * Share of a known listener's list given to songs picked from their feedback since training
   * alone: `recentSharePerLike` per like-equivalent of positive weight, at most `recentShareMax`.
   * Defaults 0.08 and 0.4 (five new likes take 40% of the list).
   */
  recentSharePerLike?: number;
  recentShareMax?: number;
  /** The songs to recommend; a function when the catalog loads after the provider is built (dependency injection). */
  catalog: Catalog | (() => Catalog);
  /**
   * The durable interaction log, read in full at start() and on every retrain: rows, arrays of
   * rows or store batches (`{ items }`). A function so each training pass gets a fresh iterator.
   * Give this or `feed`.
   */
  interactions?: () => InteractionSource;
  /**
   * The interaction log as a resumable feed (InteractionStore.interactionsSince): batches of events
   * after `cursor` (all of them for undefined), each with the cursor after its last event. Training
   * reads it in full and keeps the final cursor in the model, so a model loaded from an artifact
   * later folds in what was stored after it as live feedback. Preferred over `interactions`.
   */
  feed?: (cursor: string | undefined) => AsyncIterable<InteractionFeedBatch>;
  /**
   * Where models are saved. With a store, start() serves its active version when that version was
   * trained on this catalog (no training); otherwise it trains, publishes the model and makes it
   * the active version.
   */
  artifacts?: EngineArtifactStore;
  /** Start-up and artifact messages (Nest's Logger fits). Default: silent. */
  log?: EngineLog;
  /** Per-event weights merged over play 1, like 4, skip -1. */
  eventWeights?: Record<string, number>;
  model?: Partial<EngineModelOptions>;
  /** Live events kept per listener between retrains (oldest dropped first). Default 2000. */
  maxLiveEventsPerListener?: number;
  /** Largest k served, whatever the caller asks. Default 1000. */
  maxK?: number;
  /** Clock for model versions; default Date.now. */
  now?: () => number;
}

export interface InteractionFeedBatch {
  items: readonly EngineInteraction[];
  cursor: string;
}

export type ModelSource = 'artifact' | 'training';

/** What start() did: the served model's training report plus how it got there. */
export interface EngineStartReport extends EngineTrainingReport {
  loadedFrom: ModelSource;
  version: string;
  /** Wall time of start(): reading and verifying the artifact, or training and saving a model. */
  startMs: number;
  /** Events stored after a loaded model's training data, folded in as live feedback. */
  replayedEvents: number;
  /** The store's active version as start() found it (null: none, or no store). */
  activeAtStart: string | null;
}

/** Everything known about the listener a list is for, in dense catalog indices. */
interface Profile {
  /** Index in the served model's training data, or -1. */
  user: number;
  /** Interactions to fold in (training row + live events, dislikes as negatives); null = serve the trained row. */
  foldIn: { items: Int32Array; values: Float32Array } | null;
  /**
   * Live events alone, for a listener who also has a training row. A long history outweighs a few
   * new likes in any blend, so this list gets `share` of the slots: five likes of a new genre
   * show up in the very next list instead of being drowned by months of plays.
   */
  recent: { items: Int32Array; values: Float32Array; share: number } | null;
  /** Songs never to return: everything interacted with, dislikes included. */
  seen: Set<number>;
  disliked: Set<number>;
  liked: Set<number>;
}

/** Listeners whose profile and ranked lists are kept between requests (least recently used dropped first). */
export const MAX_REMEMBERED_LISTENERS = 2_000;
/** Extra entries kept in a remembered list, so that a request's `exclude` ids can be dropped without re-ranking. */
const EXCLUDE_HEADROOM = 50;

/** A strategy's ranked lists for one listener, computed with only their dislikes banned. */
interface RankedLists {
  main: Scored[];
  recent: Scored[] | null;
  /** How many entries were asked for (a list may be shorter when the catalog runs out). */
  size: number;
}

/**
 * What a listener's lists were computed from (the served model, their live state's version) and the lists. The
 * response cache keys whole answers; this keeps the expensive part, the ranking, for the same listener's requests
 * that differ in k, exclusions, genre filters or diversity.
 */
interface ListenerMemo {
  model: EngineModel;
  version: number;
  profile: Profile;
  lists: Map<Strategy, RankedLists>;
}

/** Seed songs whose look-alike lists are kept between requests (least recently used dropped first). */
export const MAX_REMEMBERED_SEEDS = 5_000;

/** A seed song's content and co-listening neighbours, best first, `size` long (shorter if the catalog runs out). */
interface SeedNeighbours {
  model: EngineModel;
  content: Scored[];
  cf: Scored[] | null;
  size: number;
}

interface ListRequest {
  k: number;
  strategy: Strategy;
  genres?: readonly string[];
  excludeGenres?: readonly string[];
  exclude?: readonly string[];
  diversity?: Diversity;
}

/**
 * The Encore engine behind the RecommenderProvider port: trains the default hybrid on the whole
 * catalog at start(), serves it from memory, and folds each listener's feedback in on the next
 * request without retraining. The served model is one reference, replaced whole by swapModel,
 * so a retrain (or a model loaded from an artifact) slots in atomically between two requests.
 */
export class EngineRecommenderProvider extends RecommenderProvider {
  readonly name = ENGINE_PROVIDER_NAME;
  private current: EngineModel | null = null;
  private source: ModelSource = 'training';
  private starting: Promise<EngineStartReport> | null = null;
  private readonly listeners = new Map<string, ListenerState>();
  private readonly memos = new Map<string, ListenerMemo>();
  private readonly neighbours = new Map<number, SeedNeighbours>();
  private seq = 0;
  private readonly maxLive: number;
  private readonly maxK: number;
  private readonly recentSharePerLike: number;
  private readonly recentShareMax: number;

  constructor(private readonly options: EngineRecommenderProviderOptions) {
    super();
    if (!options.feed && !options.interactions) throw new Error('engine: give the provider `feed` or `interactions`');
    this.maxLive = options.maxLiveEventsPerListener ?? 2000;
    this.maxK = options.maxK ?? 1000;
    this.recentSharePerLike = options.recentSharePerLike ?? 0.08;
    this.recentShareMax = options.recentShareMax ?? 0.4;
  }

  /**
   * Gets the first model; later calls return the same report. With an artifact store: its active
   * version when that loads, verifies and fits this catalog; otherwise (nothing active, a corrupt
   * or foreign artifact, an unreadable store) a freshly trained model, which is then published and
   * activated so the next start is fast. Problems with the store are logged, never thrown: the
   * provider always ends up with a model.
   */
  start(): Promise<EngineStartReport> {
    this.starting ??= this.startUp();
    return this.starting;
  }

  /** Reads the whole interaction log, trains a model and serves it; live events it includes are dropped. */
  async train(): Promise<EngineTrainingReport> {
    return (await this.trainFromLog()).model.report;
  }

  private async trainFromLog(): Promise<{ model: EngineModel; interactions: EngineInteraction[] }> {
    const through = this.seq;
    const { interactions, trainedThrough } = await this.readLog();
    const model = trainEngineModel({
      catalog: this.catalog(),
      interactions,
      eventWeights: this.options.eventWeights,
      options: this.options.model,
      now: (this.options.now ?? Date.now)(),
      trainedThrough,
    });
    this.swapModel(model, { includesEventsThrough: through, source: 'training' });
    return { model, interactions };
  }

  /**
   * Reads, verifies and restores a stored version without serving it (see loadVersion). Rejects
   * with the store's error for a missing or corrupt version, and an EngineArtifactError for a
   * state that is not an engine model or was trained on another catalog.
   */
  async prepareVersion(store: EngineArtifactStore, version: string): Promise<EngineModel> {
    const loaded = await store.load(version);
    return EngineModel.fromArtifact(loaded.state, this.catalog(), { version: loaded.version });
  }

  /**
   * Serves a stored version from the next request on (prepareVersion + swapModel). The served
   * model is unchanged when it rejects. `includesEventsThrough` as in swapModel; without it, live
   * feedback is kept (the stored model may not include it).
   */
  async loadVersion(
    store: EngineArtifactStore,
    version: string,
    options: { includesEventsThrough?: number } = {},
  ): Promise<EngineModel> {
    const model = await this.prepareVersion(store, version);
    this.swapModel(model, { ...options, source: 'artifact' });
    return model;
  }

  /** Whether the served model came from an artifact or was trained in this process; null before start(). */
  get loadedFrom(): ModelSource | null {
    return this.current ? this.source : null;
  }

  /** The weights and model options this provider trains with (a training job starts from them). */
  get trainingSettings(): { eventWeights: Record<string, number>; model: Partial<EngineModelOptions> } {
    return { eventWeights: { ...(this.options.eventWeights ?? {}) }, model: { ...(this.options.model ?? {}) } };
  }

  private async startUp(): Promise<EngineStartReport> {
    const started = performance.now();
    const store = this.options.artifacts;
    const log = this.options.log ?? SILENT_LOG;
    let active: string | null = null;
    let pointerReadable = true;
    if (store) {
      try {
        active = await store.activeVersion();
      } catch (error) {
        pointerReadable = false;
        log.error(`cannot read the active model version: ${(error as Error).message}; training a new model instead`);
      }
    }
    if (store && active !== null) {
      try {
        const model = await this.loadVersion(store, active);
        const replayedEvents = await this.replaySince(model.trainedThrough, log);
        return this.startReport(model, 'artifact', started, replayedEvents, active);
      } catch (error) {
        log.error(
          `active model ${active} cannot be served: ${(error as Error).message}. ` +
            'Training a new model from the interaction log instead; it replaces the active version.',
        );
      }
    }
    const { model, interactions } = await this.trainFromLog();
    if (store) {
      try {
        const { version, reused } = await publishEngineModel(store, model, {
          trainingFingerprint: engineTrainingFingerprint(interactions),
        });
        if (pointerReadable) await store.activate(version);
        log.log(
          `${reused ? 'found' : 'saved'} model ${version} in the artifact store${pointerReadable ? ' and made it the active version' : ''}`,
        );
      } catch (error) {
        log.error(`could not save the trained model ${model.version}: ${(error as Error).message}`);
      }
    }
    return this.startReport(model, 'training', started, 0, active);
  }

  private startReport(
    model: EngineModel,
    loadedFrom: ModelSource,
    started: number,
    replayedEvents: number,
    activeAtStart: string | null,
  ): EngineStartReport {
    return {
      ...model.report,
      loadedFrom,
      version: model.version,
      startMs: performance.now() - started,
      replayedEvents,
      activeAtStart,
    };
  }

  /** The whole log, and where it ended in the feed when there is one. */
  private async readLog(): Promise<{ interactions: EngineInteraction[]; trainedThrough: FeedPosition | null }> {
    const { feed, interactions } = this.options;
    if (feed) {
      const rows: EngineInteraction[] = [];
      let cursor: string | null = null;
      for await (const batch of feed(undefined)) {
        for (const e of batch.items) rows.push(e);
        cursor = batch.cursor;
      }
      return { interactions: rows, trainedThrough: { cursor } };
    }
    if (!interactions) throw new Error('engine: give the provider `feed` or `interactions`');
    return { interactions: await readInteractions(interactions()), trainedThrough: null };
  }

  /**
   * Folds the events stored after a loaded model's training data in as live feedback, so a restart
   * from an artifact still reflects everything acknowledged. Returns how many there were.
   */
  private async replaySince(position: FeedPosition | null, log: EngineLog): Promise<number> {
    const feed = this.options.feed;
    if (!feed || !position) return 0;
    let replayed = 0;
    try {
      for await (const batch of feed(position.cursor ?? undefined)) {
        const byUser = new Map<string, ProviderInteraction[]>();
        for (const e of batch.items) {
          let list = byUser.get(e.userId);
          if (!list) byUser.set(e.userId, (list = []));
          list.push({ songId: e.songId, event: e.event as ProviderInteraction['event'], timestamp: e.timestamp });
        }
        for (const [userId, list] of byUser) await this.recordInteractions(userId, list);
        replayed += batch.items.length;
      }
    } catch (error) {
      log.warn(`could not read the feedback stored after the model was trained: ${(error as Error).message}`);
    }
    return replayed;
  }

  private catalog(): Catalog {
    return typeof this.options.catalog === 'function' ? this.options.catalog() : this.options.catalog;
  }

  /**
   * Serves `model` from the next request on (one reference assignment: a request in flight
   * finishes on the model it started with). `includesEventsThrough`: the feedback sequence number
   * the model's training data covers, so those live events are not counted twice. `source`: where
   * the model came from (loadedFrom; default 'training').
   */
  swapModel(model: EngineModel, options: { includesEventsThrough?: number; source?: ModelSource } = {}): void {
    this.current = model;
    this.source = options.source ?? 'training';
    const through = options.includesEventsThrough;
    if (through !== undefined) for (const state of this.listeners.values()) state.forgetThrough(through);
  }

  /** The served model, or null before start() finished. */
  get model(): EngineModel | null {
    return this.current;
  }

  /** Sequence number of the latest recordInteractions call (see swapModel). */
  get feedbackSequence(): number {
    return this.seq;
  }

  async recommend(request: RecommendationRequest): Promise<RecommendationResult> {
    const model = this.served();
    const strategy = request.strategy ?? 'hybrid';
    if (!STRATEGIES.includes(strategy))
      throw new RangeError(`engine: unknown strategy "${strategy}" (known: ${STRATEGIES.join(', ')})`);
    const memo = this.memoOf(model, request.userId);
    return this.answer(model, memo.profile, { ...request, strategy }, memo);
  }

  /**
   * The seed's top-`pool` content and co-listening neighbours: remembered per seed and model, `pool + 50` long, so
   * requests that differ in `k` or exclusions cut the same lists (the top of a longer list is the shorter list).
   */
  private neighboursOf(model: EngineModel, seed: number, pool: number, withCf: boolean): SeedNeighbours {
    let n = this.neighbours.get(seed);
    if (n === undefined || n.model !== model || n.size < pool || (withCf && n.cf === null)) {
      const size = Math.min(model.catalog.size - 1, pool + EXCLUDE_HEADROOM);
      n = {
        model,
        content: model.features.mostSimilar(seed, size),
        cf: withCf ? model.itemKnn.similarItems(seed, size) : null,
        size,
      };
    }
    this.neighbours.delete(seed);
    this.neighbours.set(seed, n);
    if (this.neighbours.size > MAX_REMEMBERED_SEEDS)
      this.neighbours.delete(this.neighbours.keys().next().value as number);
    return n;
  }

  /** The listener's remembered profile and lists, or fresh ones when the model or their live state changed since. */
  private memoOf(model: EngineModel, userId: string): ListenerMemo {
    const version = this.listeners.get(userId)?.version ?? -1;
    let memo = this.memos.get(userId);
    if (memo !== undefined && memo.model === model && memo.version === version) {
      this.memos.delete(userId);
    } else {
      memo = { model, version, profile: this.profileOf(model, userId), lists: new Map() };
    }
    this.memos.set(userId, memo);
    if (this.memos.size > MAX_REMEMBERED_LISTENERS) this.memos.delete(this.memos.keys().next().value as string);
    return memo;
  }

  /**
   * The strategy's top `pool` (and the recent-intent list) without `banned`. Ranked once per listener state with
   * only dislikes banned and `pool + EXCLUDE_HEADROOM` long; a request then drops its own exclusions and cuts to
   * `pool`, which gives exactly the lists ranking with `banned` would (the blend never depends on exclusions, and
   * the top of a longer list is the shorter list).
   */
  private rankedLists(
    model: EngineModel,
    profile: Profile,
    strategy: Strategy,
    pool: number,
    banned: ReadonlySet<number>,
    memo: ListenerMemo | undefined,
  ): { main: Scored[]; recent: Scored[] | null } {
    const ranker = model.rankers[strategy];
    const rank = (n: number, ban: ReadonlySet<number>): RankedLists => {
      const main = profile.foldIn
        ? ranker.recommendForInteractions(profile.foldIn.items, profile.foldIn.values, n, ban)
        : ranker.recommend(profile.user, n, ban);
      const r = profile.recent;
      const recent = r
        ? (strategy === 'hybrid' ? model.recentRanker : ranker).recommendForInteractions(r.items, r.values, n, ban)
        : null;
      return { main, recent, size: n };
    };
    if (memo === undefined) return rank(pool, banned);
    const extra = banned.size - profile.disliked.size;
    let lists = memo.lists.get(strategy);
    if (lists === undefined || lists.size < pool + extra) {
      lists = rank(Math.min(model.catalog.size, pool + Math.max(extra, EXCLUDE_HEADROOM)), profile.disliked);
      memo.lists.set(strategy, lists);
    }
    const cut = (list: Scored[]) => {
      const out: Scored[] = [];
      for (const s of list) {
        if (out.length === pool) break;
        if (!banned.has(s.index)) out.push(s);
      }
      return out;
    };
    return { main: cut(lists.main), recent: lists.recent && cut(lists.recent) };
  }

  async recommendForSession(request: SessionRecommendationRequest): Promise<RecommendationResult> {
    const model = this.served();
    const like = model.eventWeights['like'] ?? 4;
    const liked = new Set<number>();
    for (const id of request.likedSongIds) {
      const i = model.catalog.indexOf(id);
      if (i >= 0) liked.add(i);
    }
    const items = Int32Array.from(liked);
    const profile: Profile = {
      user: -1,
      foldIn: { items, values: new Float32Array(items.length).fill(like) },
      recent: null,
      seen: new Set(liked),
      disliked: new Set(),
      liked,
    };
    return this.answer(model, profile, { ...request, strategy: 'hybrid' });
  }

  async similar(request: SimilarRequest): Promise<RecommendationResult> {
    const model = this.served();
    const catalog = model.catalog;
    const seed = catalog.indexOf(request.songId);
    if (seed < 0) throw new UnknownSongError(request.songId);
    const k = this.boundK(request.k, catalog.size - 1);
    const result: RecommendationResult = { items: [], provider: this.name, modelVersion: model.version };
    if (k === 0) return result;
    const excluded = this.indicesOf(catalog, request.exclude);
    const pool = Math.min(catalog.size - 1, 2 * k + 10 + excluded.size);
    // Co-listening only says something about a song enough listeners played; otherwise it is content alone.
    const share = model.listenersOf(seed) >= model.options.similarMinListeners ? model.options.similarCfShare : 0;
    const lists = this.neighboursOf(model, seed, pool, share > 0);
    const blend = new Map<number, { content: number; cf: number }>();
    for (let r = 0; r < Math.min(pool, lists.content.length); r++) {
      blend.set(lists.content[r].index, { content: lists.content[r].score, cf: 0 });
    }
    if (share > 0 && lists.cf) {
      for (let r = 0; r < Math.min(pool, lists.cf.length); r++) {
        const s = lists.cf[r];
        const e = blend.get(s.index);
        if (e) e.cf = s.score;
        else blend.set(s.index, { content: 0, cf: s.score });
      }
    }
    const title = songTitle(catalog, seed);
    const sameSong = sameSongTest(catalog, seed);
    const ranked: { index: number; score: number; byContent: boolean }[] = [];
    for (const [index, e] of blend) {
      if (index === seed || excluded.has(index) || sameSong(index)) continue;
      const c = (1 - share) * e.content;
      const f = share * e.cf;
      ranked.push({ index, score: c + f, byContent: c >= f });
    }
    ranked.sort((a, b) => b.score - a.score || a.index - b.index);
    result.items = ranked.slice(0, k).map((r) => ({
      songId: catalog.ids[r.index],
      score: r.score,
      reason: r.byContent
        ? { source: 'content', seedSongId: request.songId, text: `Sounds like ${title}` }
        : { source: 'item-knn', seedSongId: request.songId, text: `Listeners who play ${title} also play this` },
    }));
    return result;
  }

  async recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void> {
    if (interactions.length === 0) return;
    const seq = ++this.seq;
    let state = this.listeners.get(userId);
    if (!state) {
      state = new ListenerState(this.maxLive);
      this.listeners.set(userId, state);
    }
    state.record(interactions, seq);
  }

  async health(): Promise<ProviderHealth> {
    const model = this.current;
    if (!model) return { ok: false, provider: this.name, detail: 'model not trained yet' };
    const r = model.report;
    return {
      ok: true,
      provider: this.name,
      modelVersion: model.version,
      detail:
        `${r.users} listeners, ${r.songs} songs, ${r.events} events; trained in ${Math.round(r.elapsedMs)} ms` +
        (this.source === 'artifact' ? '; loaded from the artifact store' : ''),
    };
  }

  private served(): EngineModel {
    if (!this.current) throw new Error('engine: no model yet (start() has not finished)');
    return this.current;
  }

  private boundK(k: number, available: number): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`engine: k must be a non-negative integer, got ${k}`);
    return Math.min(k, this.maxK, Math.max(0, available));
  }

  private indicesOf(catalog: Catalog, ids: readonly string[] | undefined): Set<number> {
    const out = new Set<number>();
    for (const id of ids ?? []) {
      const i = catalog.indexOf(id);
      if (i >= 0) out.add(i);
    }
    return out;
  }

  /** The trained row and live feedback of `userId`, merged (live events fold in on top of training). */
  private profileOf(model: EngineModel, userId: string): Profile {
    const data = model.data;
    const catalog = model.catalog;
    const user = data.userIndex(userId);
    const like = model.eventWeights['like'] ?? 4;
    const values = new Map<number, number>();
    const liked = new Set<number>();
    const disliked = new Set<number>();
    if (user >= 0) {
      const seen = data.seen(user);
      const v = data.values(user);
      for (let p = 0; p < seen.length; p++) {
        values.set(seen[p], v[p]);
        if (v[p] >= like) liked.add(seen[p]);
      }
      for (const i of data.disliked(user)) disliked.add(i);
    }
    const state = this.listeners.get(userId);
    if (!state?.hasEvents) {
      return { user, foldIn: null, recent: null, seen: new Set([...values.keys(), ...disliked]), disliked, liked };
    }
    const live = state.totals(model.eventWeights);
    for (const [id, w] of live.values) {
      const i = catalog.indexOf(id);
      if (i >= 0) values.set(i, (values.get(i) ?? 0) + w);
    }
    for (const id of live.liked) {
      const i = catalog.indexOf(id);
      if (i >= 0) liked.add(i);
    }
    for (const id of state.disliked) {
      const i = catalog.indexOf(id);
      if (i >= 0) disliked.add(i);
    }
    // A dislike is strong negative evidence: as strong as a like, reversed, so look-alikes sink too.
    for (const i of disliked) values.set(i, -like);
    for (const i of disliked) liked.delete(i);
    const items = Int32Array.from(values.keys());
    const vals = Float32Array.from(items, (i) => values.get(i) as number);
    // What the listener did since training, alone: their current intent (see Profile.recent).
    const recent = new Map<number, number>();
    let mass = 0;
    for (const [id, w] of live.values) {
      const i = catalog.indexOf(id);
      if (i < 0 || disliked.has(i)) continue;
      recent.set(i, w);
      if (w > 0) mass += w;
    }
    for (const i of disliked) recent.set(i, -like);
    const recentItems = Int32Array.from(recent.keys());
    return {
      user,
      foldIn: { items, values: vals },
      recent:
        user >= 0 && mass > 0
          ? {
              items: recentItems,
              values: Float32Array.from(recentItems, (i) => recent.get(i) as number),
              share: Math.min(this.recentShareMax, (this.recentSharePerLike * mass) / like),
            }
          : null,
      seen: new Set(values.keys()),
      disliked,
      liked,
    };
  }

  /** Candidates from the strategy's ranker, then filters, diversity and a popularity top-up to k. */
  private answer(
    model: EngineModel,
    profile: Profile,
    request: ListRequest,
    memo?: ListenerMemo,
  ): RecommendationResult {
    const catalog = model.catalog;
    const result: RecommendationResult = { items: [], provider: this.name, modelVersion: model.version };
    const k = this.boundK(request.k, catalog.size);
    if (k === 0) return result;
    const banned = this.indicesOf(catalog, request.exclude);
    for (const i of profile.disliked) banned.add(i);
    const pool = Math.min(catalog.size, 4 * k + 20);
    const include = this.genreIds(catalog, request.genres);
    const exclude = this.genreIds(catalog, request.excludeGenres);
    const filter: GroupFilter | undefined = include || exclude ? { include, exclude } : undefined;

    let candidates: Scored[] = [];
    const positive = profile.foldIn ? profile.foldIn.values.some((v) => v > 0) : profile.user >= 0;
    if (request.strategy !== 'popular' && positive) {
      const listed = (list: Scored[]) =>
        // Items the blend could only tie at its floor carry no reason worth showing; popularity fills instead.
        list.filter((s) => s.reason?.source !== 'hybrid' && !profile.seen.has(s.index));
      const lists = this.rankedLists(model, profile, request.strategy, pool, banned, memo);
      candidates = listed(lists.main);
      if (profile.recent && lists.recent)
        candidates = interleave(candidates, listed(lists.recent), profile.recent.share);
    }
    const post: PostProcessOptions = {
      k,
      genres: { offsets: catalog.genreOffsets, ids: catalog.genreIds },
      genreFilter: filter,
      excludeItems: banned,
      artistCap: request.diversity?.maxPerArtist
        ? { artists: { offsets: catalog.artistOffsets, ids: catalog.artistIds }, max: request.diversity.maxPerArtist }
        : undefined,
      mmr:
        request.diversity?.mmrLambda !== undefined && request.diversity.mmrLambda < 1
          ? { lambda: request.diversity.mmrLambda, similarity: (a, b) => model.features.cosine(a, b) }
          : undefined,
    };
    let picked = postProcess(candidates, post);
    if (picked.length < k) {
      const taken = new Set(candidates.map((s) => s.index));
      const fill = this.popularFill(
        model,
        profile,
        banned,
        taken,
        include,
        exclude,
        pool + (post.artistCap ? 4 * k : 0),
      );
      picked = postProcess([...candidates, ...fill], post);
    }
    const includeNames = request.genres && request.genres.length > 0 ? request.genres : undefined;
    let cap = Infinity;
    result.items = picked.map((s): RecommendedSong => {
      // Diversity re-ranking and the popularity top-up reorder by more than relevance; the reported
      // score is capped so the list still reads best-first.
      cap = Math.min(cap, s.score);
      return {
        songId: catalog.ids[s.index],
        score: cap,
        reason: reasonText(
          catalog,
          s.reason,
          (i) => profile.liked.has(i),
          includeNames ? firstGenreOf(catalog, s.index, includeNames) : undefined,
        ),
      };
    });
    return result;
  }

  /** Vocabulary ids of the given genre names; an unknown name maps to -1 so an include filter on it matches nothing. */
  private genreIds(catalog: Catalog, names: readonly string[] | undefined): number[] | undefined {
    if (!names || names.length === 0) return undefined;
    return names.map((g) => catalog.genreIndex(g));
  }

  /**
   * The most popular songs the listener has not seen, in the requested genres: one pass over the
   * popularity scores with the banned songs and other genres masked out.
   */
  private popularFill(
    model: EngineModel,
    profile: Profile,
    banned: ReadonlySet<number>,
    taken: ReadonlySet<number>,
    include: number[] | undefined,
    exclude: number[] | undefined,
    count: number,
  ): Scored[] {
    const catalog = model.catalog;
    const scores = Float32Array.from(model.popularity.scores);
    const mask = (i: number) => (scores[i] = -Infinity);
    for (const i of profile.seen) mask(i);
    for (const i of banned) mask(i);
    for (const i of taken) mask(i);
    if (include || exclude) {
      const inc = include ? new Set(include) : null;
      const exc = exclude ? new Set(exclude) : null;
      const offsets = catalog.genreOffsets;
      const ids = catalog.genreIds;
      for (let i = 0; i < catalog.size; i++) {
        let ok = inc === null;
        for (let p = offsets[i]; p < offsets[i + 1]; p++) {
          if (exc?.has(ids[p])) {
            ok = false;
            break;
          }
          if (inc?.has(ids[p])) ok = true;
        }
        if (!ok) mask(i);
      }
    }
    return topK(scores, count)
      .filter((s) => s.score !== -Infinity)
      .map((s) => ({ index: s.index, score: s.score, reason: { source: 'popularity' } }));
  }
}

/**
 * Merges two ranked lists so that about `share` of every prefix comes from `recent`, each list
 * keeping its order; a song in both is taken at its first appearance.
 */
function interleave(main: readonly Scored[], recent: readonly Scored[], share: number): Scored[] {
  const out: Scored[] = [];
  const taken = new Set<number>();
  let a = 0;
  let b = 0;
  let fromRecent = 0;
  while (a < main.length || b < recent.length) {
    const wantRecent = b < recent.length && (a >= main.length || fromRecent < share * (out.length + 1));
    const next = wantRecent ? recent[b++] : main[a++];
    if (taken.has(next.index)) continue;
    taken.add(next.index);
    if (wantRecent) fromRecent++;
    out.push(next);
  }
  return out;
}

function firstGenreOf(catalog: Catalog, item: number, names: readonly string[]): string | undefined {
  const own = catalog.genresOf(item);
  return names.find((g) => own.includes(g));
}

/** Catalog rows that are the same recording under another id (same title and artists, another album). */
function sameSongTest(catalog: Catalog, seed: number): (item: number) => boolean {
  const title = (i: number) => catalog.names[i].trim().toLowerCase();
  const seedTitle = title(seed);
  const seedArtists = catalog.artistsOf(seed).join('\u0000');
  return (item) => title(item) === seedTitle && catalog.artistsOf(item).join('\u0000') === seedArtists;
}
