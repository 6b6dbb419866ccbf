import type {
  AccessTokenDto,
  AdminStatsDto,
  ApiErrorBody,
  CurrentUserDto,
  GenreDto,
  HealthDto,
  HistoryPageDto,
  Page,
  RecommendationReasonDto,
  RecommendationsDto,
  RecommendedSongDto,
  SongDto,
} from '@encore/api-contract';
import { sessionStore } from '../session';

export function songDto(overrides: Partial<SongDto> & Pick<SongDto, 'id' | 'name'>): SongDto {
  return {
    artists: ['Test Artist'],
    album: 'Test Album',
    genres: ['pop'],
    popularity: 50,
    durationMs: 200_000,
    explicit: false,
    ...overrides,
    features: {
      danceability: 0.5,
      energy: 0.5,
      key: 0,
      loudness: -8,
      mode: 1,
      speechiness: 0.05,
      acousticness: 0.2,
      instrumentalness: 0,
      liveness: 0.1,
      valence: 0.5,
      tempo: 120,
      timeSignature: 4,
      ...overrides.features,
    },
  };
}

export const SONGS: SongDto[] = [
  songDto({
    id: 's1',
    name: 'Blue Monday',
    artists: ['New Order'],
    album: 'Power, Corruption & Lies',
    genres: ['synth-pop'],
    popularity: 81,
  }),
  songDto({
    id: 's2',
    name: 'Hallelujah',
    artists: ['Jeff Buckley'],
    album: 'Grace',
    genres: ['folk', 'rock'],
    popularity: 77,
  }),
  songDto({
    id: 's3',
    name: 'So What',
    artists: ['Miles Davis'],
    album: 'Kind of Blue',
    genres: ['jazz'],
    popularity: 70,
  }),
  songDto({
    id: 's4',
    name: 'Paranoid Android',
    artists: ['Radiohead'],
    album: 'OK Computer',
    genres: ['rock'],
    popularity: 79,
  }),
];

export const GENRES: GenreDto[] = [
  { name: 'folk', songs: 1 },
  { name: 'jazz', songs: 1 },
  { name: 'rock', songs: 2 },
  { name: 'synth-pop', songs: 1 },
];

export const HEALTH: HealthDto = {
  status: 'ok',
  uptimeSeconds: 12,
  catalog: { songs: 1234, genres: 4, source: 'sample' },
  checks: {},
};

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Service Unavailable',
};

export const errorBody = (statusCode: number, message: string): ApiErrorBody => ({
  statusCode,
  error: STATUS_TEXT[statusCode] ?? 'Internal Server Error',
  message,
  details: [],
  requestId: 'req-123',
});

/** A tiny in-memory stand-in for the API: enough search, genre filter, sort and paging to drive the UI. */
export function listSongs(all: SongDto[], url: URL): Page<SongDto> {
  const q = url.searchParams.get('q')?.toLowerCase();
  const genres = url.searchParams.getAll('genre');
  const page = Number(url.searchParams.get('page') ?? 1);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  let items = all.filter(
    (s) =>
      (!q || s.name.toLowerCase().includes(q) || s.artists.some((a) => a.toLowerCase().includes(q))) &&
      (genres.length === 0 || s.genres.some((g) => genres.includes(g))),
  );
  if (url.searchParams.get('sort') === 'name') items = [...items].sort((a, b) => a.name.localeCompare(b.name));
  return { items: items.slice((page - 1) * limit, page * limit), total: items.length, page, limit };
}

export type Handler = (url: URL, init: RequestInit | undefined) => Response | Promise<Response>;

export interface RecordedCall {
  url: URL;
  method: string;
  /** The parsed JSON body, if any. */
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeApi {
  fetch: ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>;
  /** URLs the app requested for one path, oldest first. */
  requests: (pathname: string) => URL[];
  /** The latest request to a path; fails the test if there was none. */
  last: (pathname: string) => URL;
  /** Every call to a path with its method, JSON body and headers, oldest first. */
  calls: (pathname: string) => RecordedCall[];
}

function defaultResponse(url: URL, init: RequestInit | undefined, songs: SongDto[]): Response {
  const { pathname } = url;
  if (pathname === '/health') return json(HEALTH);
  if (pathname === '/metrics') return new Response(METRICS_TEXT, { headers: { 'content-type': 'text/plain' } });
  if (pathname === '/v1/genres') return json(GENRES);
  if (pathname === '/v1/songs') return json(listSongs(songs, url));
  if (pathname === '/v1/auth/me') {
    const auth = new Headers(init?.headers).get('Authorization');
    return auth ? json(LISTENER) : json(errorBody(401, 'missing bearer token'), 401);
  }
  if (pathname === '/v1/admin/stats') return json(ADMIN_STATS);
  const similar = /^\/v1\/songs\/(.+)\/similar$/.exec(pathname);
  if (similar) return json(recommendations(songs.filter((s) => s.id !== decodeURIComponent(similar[1]))));
  const userRoute = /^\/v1\/users\/[^/]+\/(recommendations|history|interactions)$/.exec(pathname)?.[1];
  if (userRoute === 'recommendations') return json(recommendations(songs));
  if (userRoute === 'history') return json({ items: [] } satisfies HistoryPageDto);
  if (userRoute === 'interactions') {
    const events = (JSON.parse(String(init?.body ?? '{"events":[]}')) as { events: unknown[] }).events;
    return json({ accepted: events.length, duplicates: 0 }, 201);
  }
  const id = /^\/v1\/songs\/(.+)$/.exec(pathname)?.[1];
  const song = songs.find((s) => s.id === decodeURIComponent(id ?? ''));
  if (song) return json(song);
  if (id) return json(errorBody(404, `Song ${id} not found`), 404);
  return json(errorBody(404, `Cannot ${init?.method ?? 'GET'} ${pathname}`), 404);
}

/** Stubs the global fetch; `overrides` replace the default handler for a pathname (exact, or a prefix ending in '/'). */
export function stubApi(overrides: Record<string, Handler> = {}, songs: SongDto[] = SONGS): FakeApi {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const override =
      overrides[url.pathname] ??
      Object.entries(overrides)
        .filter(([path]) => path.endsWith('/') && url.pathname.startsWith(path))
        .sort(([a], [b]) => b.length - a.length)[0]?.[1];
    if (override) return override(url, init);
    return defaultResponse(url, init, songs);
  });
  vi.stubGlobal('fetch', fetch);
  const calls = (pathname: string): RecordedCall[] =>
    fetch.mock.calls
      .map(([input, init]) => ({
        url: new URL(String(input), 'http://localhost'),
        method: init?.method ?? 'GET',
        body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
      }))
      .filter((c) => c.url.pathname === pathname);
  const requests = (pathname: string) => calls(pathname).map((c) => c.url);
  const last = (pathname: string) => {
    const all = requests(pathname);
    if (all.length === 0) throw new Error(`no request to ${pathname} yet`);
    return all[all.length - 1];
  };
  return { fetch, requests, last, calls };
}

export const LISTENER: CurrentUserDto = {
  id: 'u1',
  username: 'alice',
  role: 'listener',
  createdAt: '2026-11-01T10:00:00.000Z',
};

export const ADMIN: CurrentUserDto = {
  id: 'a1',
  username: 'admin',
  role: 'admin',
  createdAt: '2026-11-01T09:00:00.000Z',
};

export const TOKEN: AccessTokenDto = { accessToken: 'jwt-test', tokenType: 'Bearer', expiresIn: 3600 };

/** Starts a session as if the user had signed in. */
export function signIn(user: CurrentUserDto = LISTENER): void {
  sessionStore.start({ ...TOKEN, accessToken: `jwt-${user.id}` }, user);
}

const POPULAR: RecommendationReasonDto = { source: 'popularity', text: 'Popular right now' };

export function recommended(song: SongDto, reason: RecommendationReasonDto = POPULAR, score = 0.5): RecommendedSongDto {
  return { ...song, score, reason };
}

export function recommendations(
  songs: SongDto[],
  reason: RecommendationReasonDto = POPULAR,
  extra: Partial<RecommendationsDto> = {},
): RecommendationsDto {
  return {
    items: songs.map((song, i) => recommended(song, reason, 1 - i / 10)),
    provider: 'engine',
    modelVersion: 'engine-test-1',
    ...extra,
  };
}

export const ADMIN_STATS: AdminStatsDto = {
  interactions: 37_747,
  songs: 4708,
  cache: { backend: 'memory', hits: 30, misses: 10, errors: 0, size: 6 },
  uptimeSeconds: 3725,
};

/**
 * A scrape shaped like the API's (prom-client 15): the request histogram across routes, cache counters,
 * the model gauge, and some process metrics the dashboard ignores. Hand-computed figures live in the parser spec.
 */
export const METRICS_TEXT = `# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.
# TYPE process_cpu_user_seconds_total counter
process_cpu_user_seconds_total 1.234567

# HELP nodejs_eventloop_lag_p50_seconds The 50th percentile of the recorded event loop delays.
# TYPE nodejs_eventloop_lag_p50_seconds gauge
nodejs_eventloop_lag_p50_seconds 0.010067967

# HELP nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.
# TYPE nodejs_gc_duration_seconds histogram
nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 7
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 9
nodejs_gc_duration_seconds_sum{kind="minor"} 0.0123
nodejs_gc_duration_seconds_count{kind="minor"} 9

# HELP http_request_duration_seconds HTTP request latency by method, route pattern and status code
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/songs",status_code="200"} 2
http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/songs",status_code="200"} 6
http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/songs",status_code="200"} 8
http_request_duration_seconds_bucket{le="0.05",method="GET",route="/v1/songs",status_code="200"} 9
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/v1/songs",status_code="200"} 10
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/songs",status_code="200"} 10
http_request_duration_seconds_sum{method="GET",route="/v1/songs",status_code="200"} 0.1525
http_request_duration_seconds_count{method="GET",route="/v1/songs",status_code="200"} 10
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 0
http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 2
http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 6
http_request_duration_seconds_bucket{le="0.05",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 8
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 9
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/users/:id/recommendations",status_code="200"} 10
http_request_duration_seconds_sum{method="GET",route="/v1/users/:id/recommendations",status_code="200"} 0.61
http_request_duration_seconds_count{method="GET",route="/v1/users/:id/recommendations",status_code="200"} 10
http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/users/:id/interactions",status_code="503"} 0
http_request_duration_seconds_bucket{le="0.01",method="POST",route="/v1/users/:id/interactions",status_code="503"} 0
http_request_duration_seconds_bucket{le="0.025",method="POST",route="/v1/users/:id/interactions",status_code="503"} 0
http_request_duration_seconds_bucket{le="0.05",method="POST",route="/v1/users/:id/interactions",status_code="503"} 1
http_request_duration_seconds_bucket{le="0.1",method="POST",route="/v1/users/:id/interactions",status_code="503"} 1
http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/users/:id/interactions",status_code="503"} 1
http_request_duration_seconds_sum{method="POST",route="/v1/users/:id/interactions",status_code="503"} 0.031
http_request_duration_seconds_count{method="POST",route="/v1/users/:id/interactions",status_code="503"} 1
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="0.01",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="0.025",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="0.05",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_sum{method="GET",route="/health",status_code="200"} 0.007
http_request_duration_seconds_count{method="GET",route="/health",status_code="200"} 5
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_bucket{le="0.01",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_bucket{le="0.025",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_bucket{le="0.05",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/metrics",status_code="200"} 3
http_request_duration_seconds_sum{method="GET",route="/metrics",status_code="200"} 0.004
http_request_duration_seconds_count{method="GET",route="/metrics",status_code="200"} 3

# HELP encore_provider_errors_total Failed calls to the recommendation provider, by provider and operation
# TYPE encore_provider_errors_total counter
encore_provider_errors_total{provider="personalize",operation="recommend"} 2

# HELP encore_interactions_received_total Valid feedback events received, by event type (including retried duplicates)
# TYPE encore_interactions_received_total counter
encore_interactions_received_total{event="like"} 4
encore_interactions_received_total{event="skip"} 1

# HELP encore_model_info The model serving recommendations (value 1 on the active provider/version pair)
# TYPE encore_model_info gauge
encore_model_info{provider="engine",version="engine-20261125T122700Z-80797319"} 1

# HELP encore_cache_hits_total Response cache hits
# TYPE encore_cache_hits_total counter
encore_cache_hits_total 30

# HELP encore_cache_misses_total Response cache misses
# TYPE encore_cache_misses_total counter
encore_cache_misses_total 10
`;

/** A response that never arrives, to hold a query in its loading state. */
export const never = (): Promise<Response> => new Promise<Response>(() => undefined);

/** A response the test releases when it wants, to look at the UI while a request is in flight. */
export function deferredResponse(): { promise: Promise<Response>; resolve: (response: Response) => void } {
  let resolve: (response: Response) => void = () => undefined;
  const promise = new Promise<Response>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
