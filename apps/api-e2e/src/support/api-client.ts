import type {
  AccessTokenDto,
  ApiErrorBody,
  FeedbackEventInput,
  HistoryPageDto,
  RecordFeedbackResponse,
  RegisteredUserDto,
} from '@encore/api-contract';
import { request } from 'node:http';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Account {
  id: string;
  username: string;
  /** `Authorization` header value. */
  auth: string;
}

export const TEST_PASSWORD = 'listen-to-me-42';

/**
 * One HTTP call on a connection of its own (no keep-alive: a pooled connection that the server closes while idle
 * would turn into a spurious ECONNRESET). The body is parsed as JSON when it is JSON. Network failures reject:
 * the process may be dead, on purpose.
 */
export function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; auth?: string } = {},
): Promise<ApiResponse<T>> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = {};
  if (payload) headers['content-type'] = 'application/json';
  if (options.auth) headers['authorization'] = options.auth;
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = (res.headers['content-type'] ?? '').includes('json');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve({
          status: res.statusCode ?? 0,
          headers: responseHeaders,
          body: (json && text ? JSON.parse(text) : text) as T,
        });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like `call`, but throws with the response body unless the status is `expected`. */
export async function expectStatus<T = unknown>(
  expected: number,
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; auth?: string } = {},
): Promise<T> {
  const res = await call<T>(baseUrl, method, path, options);
  if (res.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export async function signIn(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<Account> {
  const { accessToken } = await expectStatus<AccessTokenDto>(200, baseUrl, 'POST', '/v1/auth/token', {
    body: { username, password },
  });
  const auth = `Bearer ${accessToken}`;
  const me = await expectStatus<{ id: string }>(200, baseUrl, 'GET', '/v1/auth/me', { auth });
  return { id: me.id, username, auth };
}

export async function signUp(baseUrl: string, username: string): Promise<Account> {
  await expectStatus<RegisteredUserDto>(201, baseUrl, 'POST', '/v1/auth/register', {
    body: { username, password: TEST_PASSWORD },
  });
  return signIn(baseUrl, username);
}

export function postFeedback(
  baseUrl: string,
  user: Account,
  events: FeedbackEventInput[],
): Promise<ApiResponse<RecordFeedbackResponse | ApiErrorBody>> {
  return call(baseUrl, 'POST', `/v1/users/${encodeURIComponent(user.id)}/interactions`, {
    body: { events },
    auth: user.auth,
  });
}

/** Every event id in the listener's history, following nextCursor to the end. */
export async function historyIds(baseUrl: string, user: Account): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await expectStatus<HistoryPageDto>(
      200,
      baseUrl,
      'GET',
      `/v1/users/${encodeURIComponent(user.id)}/history?${query}`,
      { auth: user.auth },
    );
    for (const item of page.items) if (item.id !== undefined) ids.push(item.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

/** The value of an unlabelled Prometheus counter or gauge in GET /metrics. */
export async function metricValue(baseUrl: string, name: string): Promise<number> {
  const text = await expectStatus<string>(200, baseUrl, 'GET', '/metrics');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`metric ${name} not found in /metrics`);
  return Number(line.slice(name.length + 1));
}
