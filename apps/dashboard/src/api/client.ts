import type {
  AccessTokenDto,
  ActivateModelResponse,
  AdminStatsDto,
  ApiErrorBody,
  ChangePasswordRequest,
  CredentialsRequest,
  CurrentUserDto,
  FeedbackEventInput,
  GenreDto,
  HealthDto,
  HistoryPageDto,
  ModelListDto,
  Page,
  RecommendationsDto,
  RecommendationsQuery,
  RecordFeedbackResponse,
  RegisteredUserDto,
  SimilarSongsQuery,
  SongDto,
  SongQuery,
  TrainingJobDto,
  TrainModelAccepted,
  TrainModelRequest,
} from '@encore/api-contract';
import { sessionStore } from '../session/session-store';

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
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** `text` for non-JSON answers (Prometheus metrics); `none` for 204s. */
  responseType?: 'json' | 'text' | 'none';
  /** Use this token instead of the session's (right after sign-in, before the session exists). */
  token?: string;
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

  async function request<T>(
    path: string,
    { method = 'GET', query, body, signal, responseType = 'json', token: explicitToken }: RequestOptions = {},
  ): Promise<T> {
    const search = toSearchParams(query).toString();
    const url = `${baseUrl}${path}${search ? `?${search}` : ''}`;
    const headers: Record<string, string> = { Accept: responseType === 'text' ? 'text/plain' : 'application/json' };
    const token = explicitToken ?? options.getToken?.();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    const init: RequestInit = { headers, signal };
    if (method !== 'GET') init.method = method;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, init);
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
    if (responseType === 'none') return undefined as T;
    if (responseType === 'text') return (await response.text()) as T;
    return (await response.json()) as T;
  }

  const user = (id: string) => `/v1/users/${encodeURIComponent(id)}`;

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
    auth: {
      register: (body: CredentialsRequest) => request<RegisteredUserDto>('/v1/auth/register', { method: 'POST', body }),
      token: (body: CredentialsRequest) => request<AccessTokenDto>('/v1/auth/token', { method: 'POST', body }),
      me: ({ token, signal }: { token?: string; signal?: AbortSignal } = {}) =>
        request<CurrentUserDto>('/v1/auth/me', { token, signal }),
      /** Answers a fresh token: every earlier one (this session's included) stops working. */
      changePassword: (body: ChangePasswordRequest) =>
        request<AccessTokenDto>('/v1/auth/password', { method: 'POST', body }),
    },
    recommendations: {
      forUser: (userId: string, query: RecommendationsQuery, signal?: AbortSignal) =>
        request<RecommendationsDto>(`${user(userId)}/recommendations`, { query: { ...query }, signal }),
      similar: (songId: string, query: SimilarSongsQuery, signal?: AbortSignal) =>
        request<RecommendationsDto>(`/v1/songs/${encodeURIComponent(songId)}/similar`, {
          query: { ...query },
          signal,
        }),
    },
    feedback: {
      record: (userId: string, events: FeedbackEventInput[]) =>
        request<RecordFeedbackResponse>(`${user(userId)}/interactions`, { method: 'POST', body: { events } }),
      history: (userId: string, query: { limit?: number; cursor?: string }, signal?: AbortSignal) =>
        request<HistoryPageDto>(`${user(userId)}/history`, { query, signal }),
    },
    admin: {
      stats: (signal?: AbortSignal) => request<AdminStatsDto>('/v1/admin/stats', { signal }),
      /** Prometheus text exposition; parsed by the admin feature. */
      metrics: (signal?: AbortSignal) => request<string>('/metrics', { signal, responseType: 'text' }),
      /** Saved model versions; an API without the models module answers 404. */
      models: (signal?: AbortSignal) => request<ModelListDto>('/v1/models', { signal }),
      /** 202 at once; the job runs in the API's worker (409 while another one is queued or running). */
      train: (body: TrainModelRequest = {}) =>
        request<TrainModelAccepted>('/v1/models/train', { method: 'POST', body }),
      job: (id: string, signal?: AbortSignal) =>
        request<TrainingJobDto>(`/v1/jobs/${encodeURIComponent(id)}`, { signal }),
      activate: (version: string) =>
        request<ActivateModelResponse>(`/v1/models/${encodeURIComponent(version)}/activate`, { method: 'POST' }),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's one client; requests carry the signed-in listener's token. */
export const api: ApiClient = createApiClient({ getToken: () => sessionStore.getToken() });
