import type { ApiErrorBody } from '@encore/api-contract';
import { json } from '../test/fake-api';
import { ApiError, createApiClient, toSearchParams } from './client';

const notFound: ApiErrorBody = {
  statusCode: 404,
  error: 'Not Found',
  message: 'Song nope not found',
  details: [],
  requestId: 'req-42',
};

describe('createApiClient', () => {
  it('sends repeated genre params and leaves out empty values', async () => {
    const fetch = vi.fn(async () => json({ items: [], total: 0, page: 1, limit: 20 }));
    const client = createApiClient({ fetch });

    await client.songs.list({ q: 'blue', genre: ['rock', 'jazz'], sort: 'name', page: 2, limit: 20 });
    await client.songs.list({ q: '', genre: [] });

    expect(fetch).toHaveBeenNthCalledWith(
      1,
      '/v1/songs?q=blue&genre=rock&genre=jazz&sort=name&page=2&limit=20',
      expect.anything(),
    );
    expect(fetch).toHaveBeenNthCalledWith(2, '/v1/songs', expect.anything());
  });

  it('prefixes the base URL and escapes ids', async () => {
    const fetch = vi.fn(async () => json({}));
    await createApiClient({ baseUrl: 'http://api.test', fetch }).songs.get('a/b c');
    expect(fetch).toHaveBeenCalledWith('http://api.test/v1/songs/a%2Fb%20c', expect.anything());
  });

  it('throws an ApiError carrying the contract error body', async () => {
    const client = createApiClient({ fetch: vi.fn(async () => json(notFound, 404)) });

    const error = await client.songs.get('nope').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toEqual(notFound);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toBe('Song nope not found');
  });

  it('keeps the error shape when the server answers without a JSON body', async () => {
    const fetch = vi.fn(async () => new Response('<h1>Bad Gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));

    const error = (await createApiClient({ fetch })
      .genres.list()
      .catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.body).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'Request failed with status 502',
      details: [],
      requestId: '',
    });
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });

    const error = (await createApiClient({ fetch })
      .health()
      .catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.body.error).toBe('Network Error');
  });

  it('attaches a bearer token only when one is available', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json({}));
    let token: string | null = null;
    const client = createApiClient({ fetch, getToken: () => token });

    await client.genres.list();
    token = 'jwt-abc';
    await client.genres.list();

    const headers = fetch.mock.calls.map(([, init]) => init?.headers as Record<string, string>);
    expect(headers[0]).not.toHaveProperty('Authorization');
    expect(headers[1]).toHaveProperty('Authorization', 'Bearer jwt-abc');
  });

  it('uses the global fetch at call time when none is given', async () => {
    const fetch = vi.fn(async () => json([{ name: 'rock', songs: 3 }]));
    vi.stubGlobal('fetch', fetch);

    await expect(createApiClient().genres.list()).resolves.toEqual([{ name: 'rock', songs: 3 }]);
    expect(fetch).toHaveBeenCalledWith('/v1/genres', expect.anything());
  });
});

describe('createApiClient calls beyond GET JSON', () => {
  it('POSTs JSON bodies with a content type', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      json({ accepted: 1, duplicates: 0 }, 201),
    );
    const client = createApiClient({ fetch, getToken: () => 'jwt-1' });

    await expect(client.feedback.record('u 1', [{ songId: 's1', event: 'like' }])).resolves.toEqual({
      accepted: 1,
      duplicates: 0,
    });

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/v1/users/u%201/interactions');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"events":[{"songId":"s1","event":"like"}]}');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json', Authorization: 'Bearer jwt-1' });
  });

  it('reads text answers as text', async () => {
    const fetch = vi.fn(async () => new Response('up 1\n', { headers: { 'content-type': 'text/plain' } }));
    await expect(createApiClient({ fetch }).admin.metrics()).resolves.toBe('up 1\n');
  });

  it('posts a password change with the session token and returns the fresh token', async () => {
    const fresh = { accessToken: 'new', tokenType: 'Bearer', expiresIn: 3600 };
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json(fresh));
    const client = createApiClient({ fetch, getToken: () => 'current' });
    const body = { currentPassword: 'old-password-1', newPassword: 'new-password-2' };
    await expect(client.auth.changePassword(body)).resolves.toEqual(fresh);
    expect(fetch.mock.calls[0][0]).toBe('/v1/auth/password');
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'POST', body: JSON.stringify(body) });
    expect(fetch.mock.calls[0][1]?.headers).toHaveProperty('Authorization', 'Bearer current');
  });

  it('lets a call name its token, ahead of the session’s', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json({}));
    const client = createApiClient({ fetch, getToken: () => 'old' });
    await client.auth.me({ token: 'fresh' });
    expect(fetch.mock.calls[0][1]?.headers).toHaveProperty('Authorization', 'Bearer fresh');
  });

  it('sends recommendation parameters as query values', async () => {
    const fetch = vi.fn(async () => json({ items: [], provider: 'engine', modelVersion: 'v' }));
    const client = createApiClient({ fetch });
    await client.recommendations.forUser('u1', { strategy: 'cf', k: 20 });
    await client.recommendations.similar('s/1', { k: 8 });
    await client.feedback.history('u1', { limit: 20, cursor: undefined });
    expect(fetch.mock.calls.map((c) => (c as unknown[])[0])).toEqual([
      '/v1/users/u1/recommendations?strategy=cf&k=20',
      '/v1/songs/s%2F1/similar?k=8',
      '/v1/users/u1/history?limit=20',
    ]);
  });
});

describe('toSearchParams', () => {
  it('skips undefined, null and empty strings but keeps zero and false', () => {
    expect(toSearchParams({ a: undefined, b: null, c: '', d: 0, e: false, f: ['x'] }).toString()).toBe(
      'd=0&e=false&f=x',
    );
  });
});
