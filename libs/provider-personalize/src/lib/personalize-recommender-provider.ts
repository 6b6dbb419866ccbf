import { PersonalizeEventsClient, PutEventsCommand, type Event } from '@aws-sdk/client-personalize-events';
import {
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
  type GetRecommendationsRequest,
  type PredictedItem,
} from '@aws-sdk/client-personalize-runtime';
import {
  RecommenderProvider,
  UnknownSongError,
  type ProviderHealth,
  type ProviderInteraction,
  type RecommendationReason,
  type RecommendationRequest,
  type RecommendationResult,
  type RecommendedSong,
  type SessionRecommendationRequest,
  type SimilarRequest,
} from '@encore/recommender-port';
import { mmrRerank } from '@encore/hybrid';

export const PERSONALIZE_PROVIDER_NAME = 'personalize';
export const PERSONALIZE_REASON: Readonly<RecommendationReason> = Object.freeze({
  source: 'personalize',
  text: 'Recommended by Amazon Personalize',
});
/** Personalize's own limit on numResults. */
const MAX_RESULTS = 500;
/** PutEvents takes at most 10 events per call. */
const EVENTS_PER_CALL = 10;
/** Seeds of a guest session asked for their similar items (one GetRecommendations each). */
const MAX_SESSION_SEEDS = 10;
const RRF_K = 60;

/** What the provider may know about songs locally: used to drop ids the catalog lacks and to filter client-side. */
export interface SongLookup {
  has(songId: string): boolean;
  genresOf(songId: string): readonly string[];
  artistsOf?(songId: string): readonly string[];
  /** How alike two known songs sound (cosine in [-1, 1]); enables the MMR diversity option. */
  similarity?(a: string, b: string): number;
}

export interface PersonalizeRetryOptions {
  /** Tries per call, first included. Default 3. */
  attempts: number;
  /** Full-jitter exponential backoff: a random wait up to min(maxDelayMs, baseDelayMs·2^n). Default 100. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface PersonalizeProviderConfig {
  region: string;
  /** Campaign of a USER_PERSONALIZATION recipe. */
  userCampaignArn: string;
  /** Campaign of a SIMILAR_ITEMS (or SIMS) recipe. */
  similarItemsCampaignArn: string;
  /**
   * Filter with an include-genres expression such as `INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)`;
   * without it genres are filtered client-side from over-fetched results.
   */
  filterArn?: string;
  /** Placeholder name of that filter. Default 'GENRES'. */
  genreFilterParameter?: string;
  /** Event tracker for PutEvents. */
  trackingId: string;
  /** Endpoint override for both APIs (a VPC endpoint, or a local fake in tests). */
  endpoint?: string;
  /** Endpoint override for the events API only. */
  eventsEndpoint?: string;
  /** Per-attempt deadline of one API call. Default 1000. */
  timeoutMs?: number;
  /** Static credentials; the SDK's default chain (env, profile, role) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  retry?: Partial<PersonalizeRetryOptions>;
  songs?: SongLookup;
  /** Waits between retries; tests replace it. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Amazon Personalize behind the RecommenderProvider port: GetRecommendations on the user campaign
 * (recommend) and on the similar-items campaign (similar, guest sessions), PutEvents for feedback.
 * Ids to leave out are handled by over-fetching and filtering here, because a Personalize filter
 * cannot take an arbitrary id list; genres go to the configured filter when there is one and are
 * always re-checked locally when a SongLookup is given. Throttling and 5xx answers are retried
 * with jittered exponential backoff; anything else fails the call (the fallback wrapper answers).
 */
export class PersonalizeRecommenderProvider extends RecommenderProvider {
  readonly name = PERSONALIZE_PROVIDER_NAME;
  readonly runtime: PersonalizeRuntimeClient;
  readonly events: PersonalizeEventsClient;
  private readonly timeoutMs: number;
  private readonly retry: PersonalizeRetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private lastError: { at: number; message: string } | null = null;
  private lastSuccess = 0;

  constructor(private readonly config: PersonalizeProviderConfig) {
    super();
    for (const key of ['region', 'userCampaignArn', 'similarItemsCampaignArn', 'trackingId'] as const) {
      if (!config[key]) throw new Error(`personalize: ${key} is required`);
    }
    this.timeoutMs = config.timeoutMs ?? 1000;
    this.retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000, ...config.retry };
    if (!(Number.isInteger(this.retry.attempts) && this.retry.attempts >= 1))
      throw new Error(`personalize: retry.attempts must be an integer ≥ 1, got ${this.retry.attempts}`);
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // Retries live here (one policy, testable with mocked clients), so the SDK makes one attempt per send.
    const common = {
      region: config.region,
      maxAttempts: 1,
      ...(config.credentials && { credentials: config.credentials }),
    };
    this.runtime = new PersonalizeRuntimeClient({ ...common, ...(config.endpoint && { endpoint: config.endpoint }) });
    const eventsEndpoint = config.eventsEndpoint ?? config.endpoint;
    this.events = new PersonalizeEventsClient({ ...common, ...(eventsEndpoint && { endpoint: eventsEndpoint }) });
  }

  /** The campaign's name, standing in for a model version (Personalize does not expose one per call). */
  get modelVersion(): string {
    return `personalize:${arnName(this.config.userCampaignArn)}`;
  }

  async recommend(request: RecommendationRequest): Promise<RecommendationResult> {
    const k = boundK(request.k);
    const result = this.emptyResult();
    if (k === 0) return result;
    const input: GetRecommendationsRequest = { campaignArn: this.config.userCampaignArn, userId: request.userId };
    const genres = request.genres ?? [];
    if (genres.length > 0 && this.config.filterArn) {
      input.filterArn = this.config.filterArn;
      input.filterValues = { [this.config.genreFilterParameter ?? 'GENRES']: genres.map(quote).join(',') };
    }
    const exclude = new Set(request.exclude ?? []);
    const clientFiltered = (genres.length > 0 && !input.filterArn) || (request.excludeGenres ?? []).length > 0;
    const lambda = request.diversity?.mmrLambda;
    const similarity = this.config.songs?.similarity;
    // Personalize has no MMR of its own: over-fetch, then re-rank here with the catalog's sound similarity.
    const mmr = lambda !== undefined && lambda < 1 && similarity ? { lambda, similarity } : undefined;
    const reordered = clientFiltered || request.diversity?.maxPerArtist !== undefined || mmr !== undefined;
    input.numResults = overFetch(k, exclude.size, reordered);
    const items = await this.getRecommendations('recommend', input);
    const listed = this.finish(
      items.map((item) => ({ songId: item.itemId as string, score: item.score, reason: { ...PERSONALIZE_REASON } })),
      {
        k: mmr ? items.length : k,
        exclude,
        genres,
        excludeGenres: request.excludeGenres ?? [],
        maxPerArtist: request.diversity?.maxPerArtist,
      },
    );
    result.items = mmr ? diversified(listed, k, mmr.lambda, mmr.similarity) : listed;
    return result;
  }

  async similar(request: SimilarRequest): Promise<RecommendationResult> {
    const songs = this.config.songs;
    if (songs && !songs.has(request.songId)) throw new UnknownSongError(request.songId);
    const k = boundK(request.k);
    const result = this.emptyResult();
    if (k === 0) return result;
    const exclude = new Set([...(request.exclude ?? []), request.songId]);
    const items = await this.getRecommendations('similar', {
      campaignArn: this.config.similarItemsCampaignArn,
      itemId: request.songId,
      numResults: overFetch(k, exclude.size, false),
    });
    result.items = this.finish(
      items.map((item) => ({
        songId: item.itemId as string,
        score: item.score,
        reason: { ...PERSONALIZE_REASON, seedSongId: request.songId },
      })),
      { k, exclude, genres: [], excludeGenres: [] },
    );
    return result;
  }

  /**
   * A guest has no Personalize user: the similar items of each liked song (up to 10, in parallel),
   * merged by reciprocal rank fusion. Without liked songs it is the user campaign's cold-start list.
   */
  async recommendForSession(request: SessionRecommendationRequest): Promise<RecommendationResult> {
    const seeds = [...new Set(request.likedSongIds)].slice(0, MAX_SESSION_SEEDS);
    if (seeds.length === 0) {
      return this.recommend({
        userId: 'guest-session',
        k: request.k,
        genres: request.genres,
        exclude: request.exclude,
      });
    }
    const k = boundK(request.k);
    const result = this.emptyResult();
    if (k === 0) return result;
    const exclude = new Set([...(request.exclude ?? []), ...request.likedSongIds]);
    const genres = request.genres ?? [];
    const lists = await Promise.all(
      seeds.map((itemId) =>
        this.getRecommendations('session', {
          campaignArn: this.config.similarItemsCampaignArn,
          itemId,
          numResults: overFetch(k, exclude.size, genres.length > 0),
        }),
      ),
    );
    const fused = new Map<string, { score: number; seed: string; best: number }>();
    lists.forEach((list, s) =>
      list.forEach((item, rank) => {
        const id = item.itemId as string;
        const gain = 1 / (RRF_K + rank + 1);
        const entry = fused.get(id) ?? { score: 0, seed: seeds[s], best: 0 };
        entry.score += gain;
        if (gain > entry.best) {
          entry.best = gain;
          entry.seed = seeds[s];
        }
        fused.set(id, entry);
      }),
    );
    const merged = [...fused]
      .sort((a, b) => b[1].score - a[1].score)
      .map(([songId, e]) => ({ songId, score: e.score, reason: { ...PERSONALIZE_REASON, seedSongId: e.seed } }));
    result.items = this.finish(merged, {
      k,
      exclude,
      genres,
      excludeGenres: [],
      maxPerArtist: request.diversity?.maxPerArtist,
    });
    return result;
  }

  async recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void> {
    for (let start = 0; start < interactions.length; start += EVENTS_PER_CALL) {
      const eventList: Event[] = interactions.slice(start, start + EVENTS_PER_CALL).map((i) => ({
        eventType: i.event,
        itemId: i.songId,
        sentAt: new Date(i.timestamp),
      }));
      await this.withRetry('PutEvents', (abortSignal) =>
        this.events.send(
          new PutEventsCommand({
            trackingId: this.config.trackingId,
            userId,
            sessionId: sessionIdOf(userId),
            eventList,
          }),
          { abortSignal },
        ),
      );
    }
  }

  /** No API call (each costs money and a TPS slot): healthy unless the latest call failed. */
  async health(): Promise<ProviderHealth> {
    const failing = this.lastError !== null && this.lastError.at >= this.lastSuccess;
    return {
      ok: !failing,
      provider: this.name,
      modelVersion: this.modelVersion,
      detail: failing ? `last call failed: ${this.lastError?.message}` : `campaign ${this.config.userCampaignArn}`,
    };
  }

  private emptyResult(): RecommendationResult {
    return { items: [], provider: this.name, modelVersion: this.modelVersion };
  }

  private async getRecommendations(operation: string, input: GetRecommendationsRequest): Promise<PredictedItem[]> {
    const out = await this.withRetry(`GetRecommendations (${operation})`, (abortSignal) =>
      this.runtime.send(new GetRecommendationsCommand(input), { abortSignal }),
    );
    return (out.itemList ?? []).filter((i) => typeof i.itemId === 'string' && i.itemId.length > 0);
  }

  /** Leaves out excluded and unknown songs, re-checks genres, caps artists, keeps k, makes scores non-increasing. */
  private finish(
    items: { songId: string; score?: number; reason: RecommendationReason }[],
    o: {
      k: number;
      exclude: ReadonlySet<string>;
      genres: readonly string[];
      excludeGenres: readonly string[];
      maxPerArtist?: number;
    },
  ): RecommendedSong[] {
    const songs = this.config.songs;
    const perArtist = new Map<string, number>();
    const out: RecommendedSong[] = [];
    const seen = new Set<string>();
    let cap = Infinity;
    for (const [rank, item] of items.entries()) {
      if (out.length >= o.k) break;
      if (o.exclude.has(item.songId) || seen.has(item.songId)) continue;
      if (songs) {
        if (!songs.has(item.songId)) continue;
        const genres = songs.genresOf(item.songId);
        if (o.genres.length > 0 && !o.genres.some((g) => genres.includes(g))) continue;
        if (o.excludeGenres.some((g) => genres.includes(g))) continue;
        if (o.maxPerArtist !== undefined && songs.artistsOf) {
          const artists = songs.artistsOf(item.songId);
          if (artists.some((a) => (perArtist.get(a) ?? 0) >= (o.maxPerArtist as number))) continue;
          for (const a of artists) perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
        }
      }
      seen.add(item.songId);
      // Some recipes return no score; rank order is then the only signal.
      const score = typeof item.score === 'number' && Number.isFinite(item.score) ? item.score : 1 / (rank + 1);
      cap = Math.min(cap, score);
      out.push({ songId: item.songId, score: cap, reason: item.reason });
    }
    return out;
  }

  private async withRetry<T>(operation: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      try {
        const out = await call(controller.signal);
        this.lastSuccess = Date.now();
        return out;
      } catch (error) {
        const timedOut = controller.signal.aborted;
        if (!timedOut && attempt < this.retry.attempts && isRetryable(error)) {
          const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
          await this.sleep(Math.random() * ceiling);
          continue;
        }
        const message = timedOut
          ? `personalize: ${operation} timed out after ${this.timeoutMs} ms`
          : `personalize: ${operation} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${describe(error)}`;
        this.lastError = { at: Date.now(), message };
        throw new PersonalizeCallError(message, error);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** A failed Personalize call, with the SDK error as `cause`. */
export class PersonalizeCallError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'PersonalizeCallError';
  }
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
]);

/** Throttling and server-side faults are worth another try; client errors (bad ARN, bad input) are not. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  return (
    (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    e.$retryable !== undefined
  );
}

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? ''}`.trim();
}

function boundK(k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`personalize: k must be a non-negative integer, got ${k}`);
  return Math.min(k, MAX_RESULTS);
}

/** Enough results to survive client-side filtering: k plus the excluded ids, tripled when genres/artists filter too. */
/** MMR over a finished list (scores non-increasing), keeping the list's non-increasing score cap. */
function diversified(
  items: RecommendedSong[],
  k: number,
  lambda: number,
  similarity: (a: string, b: string) => number,
): RecommendedSong[] {
  const picked = mmrRerank(
    items.map((item, index) => ({ index, score: item.score })),
    k,
    lambda,
    (a, b) => similarity(items[a].songId, items[b].songId),
  );
  let cap = Infinity;
  return picked.map(({ index }) => {
    cap = Math.min(cap, items[index].score);
    return { ...items[index], score: cap };
  });
}

function overFetch(k: number, excluded: number, filtered: boolean): number {
  const base = k + excluded;
  return Math.min(MAX_RESULTS, filtered ? Math.max(3 * base, base + 25) : base + 5);
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** Personalize groups a user's events into sessions; one long-lived session per listener is enough here. */
export function sessionIdOf(userId: string): string {
  return `session-${userId}`;
}

function arnName(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}
