import {
  CONTRACT_FACTS,
  CONTRACT_INTERACTIONS,
  CONTRACT_SONGS,
  type RecommenderContractFixture,
} from '@encore/recommender-port/testing';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PersonalizeRecommenderProvider,
  type PersonalizeProviderConfig,
  type SongLookup,
} from './lib/personalize-recommender-provider';

/** The JSON body of GetRecommendations as the SDK sends it. */
export interface FakeRecommendationsRequest {
  campaignArn?: string;
  userId?: string;
  itemId?: string;
  numResults?: number;
  filterArn?: string;
  filterValues?: Record<string, string>;
}

/** The JSON body of PutEvents as the SDK sends it (`sentAt` in epoch seconds). */
export interface FakePutEventsRequest {
  trackingId: string;
  userId?: string;
  sessionId: string;
  eventList: { eventType: string; itemId?: string; sentAt: number; eventId?: string }[];
}

export interface FakeFailure {
  status: number;
  /** Sent as `x-amzn-errortype`, which the SDK turns into the error's name. */
  errorType: string;
  message?: string;
}

export type FakeRecommender = (request: FakeRecommendationsRequest) => { itemId: string; score?: number }[];

/**
 * A loopback HTTP server playing the Personalize runtime (`POST /recommendations`) and events
 * (`POST /events`) APIs, so tests run the real SDK clients — serialisation, SigV4 signing, error
 * parsing — against it via `endpoint` and dummy credentials. Failures and delays are scripted.
 */
export class FakePersonalize {
  readonly requests: { path: string; body: unknown; authorization?: string }[] = [];
  readonly putEvents: FakePutEventsRequest[] = [];
  /** Added to every response. */
  delayMs = 0;
  private failure: { failure: FakeFailure; remaining: number } | null = null;

  private constructor(
    private readonly server: Server,
    public recommender: FakeRecommender,
  ) {}

  static async start(recommender: FakeRecommender = contractWorldRecommender): Promise<FakePersonalize> {
    let fake: FakePersonalize | null = null;
    const server = createServer((req, res) => void (fake as FakePersonalize).handle(req, res));
    fake = new FakePersonalize(server, recommender);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** GetRecommendations bodies received, in order. */
  get recommendationRequests(): FakeRecommendationsRequest[] {
    return this.requests.filter((r) => r.path === '/recommendations').map((r) => r.body as FakeRecommendationsRequest);
  }

  /** The next `count` calls (Infinity: until `recover()`) answer with this failure. */
  fail(failure: FakeFailure, count = Infinity): void {
    this.failure = { failure, remaining: count };
  }

  recover(): void {
    this.failure = null;
    this.delayMs = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : {};
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ path, body, authorization: req.headers.authorization });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    if (this.failure && this.failure.remaining > 0) {
      this.failure.remaining--;
      const { status, errorType, message } = this.failure.failure;
      return send(res, status, { message: message ?? errorType }, { 'x-amzn-errortype': errorType });
    }
    if (req.method === 'POST' && path === '/recommendations') {
      const request = body as FakeRecommendationsRequest;
      const items = this.recommender(request).slice(0, request.numResults ?? 25);
      return send(res, 200, { itemList: items, recommendationId: `rid-${this.requests.length}` });
    }
    if (req.method === 'POST' && path === '/events') {
      this.putEvents.push(body as FakePutEventsRequest);
      return send(res, 200, {});
    }
    send(res, 404, { message: `no route ${req.method} ${path}` }, { 'x-amzn-errortype': 'UnknownOperationException' });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Songs by distinct positive listeners in the contract world (ties by id). */
function contractPopularity(): { id: string; listeners: number }[] {
  const listeners = new Map<string, Set<string>>();
  for (const e of CONTRACT_INTERACTIONS) {
    if (e.event !== 'play' && e.event !== 'like') continue;
    const set = listeners.get(e.songId) ?? new Set<string>();
    set.add(e.userId);
    listeners.set(e.songId, set);
  }
  return CONTRACT_SONGS.map((s) => ({ id: s.id, listeners: listeners.get(s.id)?.size ?? 0 })).sort(
    (a, b) => b.listeners - a.listeners || (a.id < b.id ? -1 : 1),
  );
}

/**
 * Campaigns over the contract world, as Personalize would serve them with an "exclude what the
 * user interacted with" filter: the user campaign ranks by popularity without the user's songs
 * (a stranger gets the plain popularity ranking), the similar-items campaign ranks the seed's
 * genre first. A GENRES filter value restricts both.
 */
export const contractWorldRecommender: FakeRecommender = (request) => {
  const popular = contractPopularity();
  const genreOf = (id: string) => CONTRACT_FACTS.genresOf(id)[0];
  const wanted = request.filterValues?.['GENRES']?.split(',').map((g) => g.replace(/^"|"$/g, ''));
  const allowed = (id: string) => !wanted || wanted.includes(genreOf(id));
  if (request.itemId) {
    const genre = genreOf(request.itemId);
    return popular
      .filter((s) => s.id !== request.itemId && allowed(s.id))
      .map((s) => ({ itemId: s.id, score: (genreOf(s.id) === genre ? 1 : 0) + s.listeners / 100 }))
      .sort((a, b) => b.score - a.score);
  }
  const seen = new Set(CONTRACT_INTERACTIONS.filter((e) => e.userId === request.userId).map((e) => e.songId));
  return popular
    .filter((s) => !seen.has(s.id) && allowed(s.id))
    .map((s, rank) => ({ itemId: s.id, score: Number((1 - rank / 100).toFixed(4)) }));
};

/** The contract world's songs as a SongLookup. */
export function contractSongLookup(): SongLookup {
  const byId = new Map(CONTRACT_SONGS.map((s) => [s.id, s]));
  return {
    has: (id) => byId.has(id),
    genresOf: (id) => {
      const s = byId.get(id);
      return s ? [s.genre] : [];
    },
    artistsOf: (id) => {
      const s = byId.get(id);
      return s ? [s.artist] : [];
    },
  };
}

/** Provider settings pointing both APIs at a fake, with dummy credentials (the fake does not check signatures). */
export function fakePersonalizeConfig(endpoint: string): PersonalizeProviderConfig {
  return {
    region: 'us-east-1',
    userCampaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/encore-users',
    similarItemsCampaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/encore-similar',
    trackingId: 'encore-tracking-id',
    endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
    timeoutMs: 2000,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  };
}

/** The fixture `describeRecommenderProviderContract` runs Personalize against: the real SDK, a fake service. */
export async function personalizeContractFixture(): Promise<RecommenderContractFixture> {
  const fake = await FakePersonalize.start();
  const provider = new PersonalizeRecommenderProvider({
    ...fakePersonalizeConfig(fake.endpoint),
    songs: contractSongLookup(),
  });
  return { ...CONTRACT_FACTS, provider, close: () => fake.close() };
}
