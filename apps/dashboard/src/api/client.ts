import type { ApiErrorBody, GenreDto, HealthDto, Page, SongDto, SongQuery } from '@encore/api-contract';

/** Every failed call surfaces as this, carrying the API's contract error body (or one synthesised in the same shape). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }

  get status(): number {
    return this.body.statusCode;
  }
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface ApiClientOptions {
  /** '' means same origin: the API serves the dashboard, and Vite's dev server proxies to it. */
  baseUrl?: string;
  /** Resolved per call (not captured once) so tests can stub the global fetch after the client is built. */
  fetch?: typeof fetch;
  /** The seam for sign-in: when it returns a token, every request carries `Authorization: Bearer <token>`. */
  getToken?: () => string | null | undefined;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

/** Repeated keys for arrays (`genre=a&genre=b`), which is what the API's query parser expects; empty values are left out. */
export function toSearchParams(query: Record<string, QueryValue> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  return params;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['statusCode'] === 'number' && typeof v['message'] === 'string';
}

async function errorBodyOf(response: Response): Promise<ApiErrorBody> {
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isApiErrorBody(parsed)) {
    return {
      statusCode: parsed.statusCode,
      error: parsed.error ?? response.statusText,
      message: parsed.message,
      details: Array.isArray(parsed.details) ? parsed.details : [],
      requestId: parsed.requestId ?? response.headers.get('x-request-id') ?? '',
    };
  }
  // A proxy or a crashed server can answer with HTML or nothing; keep the one error shape anyway.
  return {
    statusCode: response.status,
    error: response.statusText || 'Error',
    message: `Request failed with status ${response.status}`,
    details: [],
    requestId: response.headers.get('x-request-id') ?? '',
  };
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(path: string, { query, signal }: RequestOptions = {}): Promise<T> {
    const search = toSearchParams(query).toString();
    const url = `${baseUrl}${path}${search ? `?${search}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.getToken?.();
    if (token) headers['Authorization'] = `Bearer ${token}`;

    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError({
        statusCode: 0,
        error: 'Network Error',
        message: 'Could not reach the Encore API. Check that it is running.',
        details: [],
        requestId: '',
      });
    }
    if (!response.ok) throw new ApiError(await errorBodyOf(response));
    return (await response.json()) as T;
  }

  return {
    request,
    health: (signal?: AbortSignal) => request<HealthDto>('/health', { signal }),
    songs: {
      list: (query: SongQuery, signal?: AbortSignal) =>
        request<Page<SongDto>>('/v1/songs', { query: { ...query }, signal }),
      get: (id: string, signal?: AbortSignal) => request<SongDto>(`/v1/songs/${encodeURIComponent(id)}`, { signal }),
    },
    genres: {
      list: (signal?: AbortSignal) => request<GenreDto[]>('/v1/genres', { signal }),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's one client. Sign-in will swap in `createApiClient({ getToken })` here. */
export const api: ApiClient = createApiClient();
