import type { ApiErrorBody, GenreDto, HealthDto, Page, SongDto } from '@encore/api-contract';

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

export const errorBody = (statusCode: number, message: string): ApiErrorBody => ({
  statusCode,
  error: statusCode === 404 ? 'Not Found' : 'Internal Server Error',
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

export type Handler = (url: URL) => Response | Promise<Response>;

export interface FakeApi {
  fetch: ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>;
  /** URLs the app requested for one path, oldest first. */
  requests: (pathname: string) => URL[];
  /** The latest request to a path; fails the test if there was none. */
  last: (pathname: string) => URL;
}

/** Stubs the global fetch; `overrides` replace the default handler for a pathname (exact, or a prefix ending in '/'). */
export function stubApi(overrides: Record<string, Handler> = {}, songs: SongDto[] = SONGS): FakeApi {
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://localhost');
    const override =
      overrides[url.pathname] ??
      Object.entries(overrides).find(([path]) => path.endsWith('/') && url.pathname.startsWith(path))?.[1];
    if (override) return override(url);
    if (url.pathname === '/health') return json(HEALTH);
    if (url.pathname === '/v1/genres') return json(GENRES);
    if (url.pathname === '/v1/songs') return json(listSongs(songs, url));
    const id = /^\/v1\/songs\/(.+)$/.exec(url.pathname)?.[1];
    const song = songs.find((s) => s.id === decodeURIComponent(id ?? ''));
    if (song) return json(song);
    return json(errorBody(404, `Song ${id} not found`), 404);
  });
  vi.stubGlobal('fetch', fetch);
  const requests = (pathname: string) =>
    fetch.mock.calls
      .map(([input]) => new URL(String(input), 'http://localhost'))
      .filter((u) => u.pathname === pathname);
  const last = (pathname: string) => {
    const all = requests(pathname);
    if (all.length === 0) throw new Error(`no request to ${pathname} yet`);
    return all[all.length - 1];
  };
  return { fetch, requests, last };
}

/** A response that never arrives, to hold a query in its loading state. */
export const never = (): Promise<Response> => new Promise<Response>(() => undefined);
