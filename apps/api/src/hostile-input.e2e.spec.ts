import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { STATUS_CODES, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import request, { type Response } from 'supertest';
import { TrainingRunner } from './models/training-runner';
import type { TrainingOutput } from './models/training-task';
import { signIn, signUp, type SignedInUser, TEST_PASSWORD } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp, WORKSPACE_ROOT } from './testing/test-app';

/*
 * Property-based hostile input against every endpoint of the real app (in process, over supertest): random,
 * oversized and malformed bodies, path ids, query strings and headers. Whatever arrives, the answer is never a
 * 5xx, never carries a stack trace or a server path, and every error has the one ApiErrorBody shape. Runs are
 * seeded (FUZZ_SEED, FUZZ_RUNS override) so a failure reproduces; fast-check prints the seed and the shrunk request.
 *
 * Not sent here: a Content-Length that disagrees with the body, and raw bytes that are not legal in a request
 * line or header. Node's HTTP client (under supertest) refuses to produce them; hostile-http.e2e.spec.ts sends
 * them over a raw socket.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261125);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
const ADMIN = { username: 'fuzz-admin', password: 'fuzz-admin-pw-1' };
jest.setTimeout(120_000);

/** Jobs never finish: the first valid POST /v1/models/train is a 202 and every later one a 409, with no CPU spent. */
class HeldTrainingRunner extends TrainingRunner {
  private readonly stops: ((error: Error) => void)[] = [];

  run(): Promise<TrainingOutput> {
    return new Promise((_resolve, reject) => this.stops.push(reject));
  }

  override async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop(new Error('stopped'));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

type Method = 'get' | 'post' | 'delete';

interface Attempt {
  method: Method;
  /** Path and query exactly as sent. */
  url: string;
  headers: Record<string, string>;
  body?: { contentType: string; payload: string | Buffer };
}

async function send(server: Server, attempt: Attempt): Promise<Response> {
  let req = request(server)[attempt.method](attempt.url);
  for (const [name, value] of Object.entries(attempt.headers)) req = req.set(name, value);
  if (attempt.body) {
    req = req.set('content-type', attempt.body.contentType);
    // A Buffer goes out byte for byte; a string is sent as it is, whatever the content type claims.
    req = req.send(attempt.body.payload as never);
  }
  return req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

// Server-side details that must never reach a client.
const LEAKS: readonly [string, RegExp][] = [
  ['a stack frame', /\n\s+at [^\n]+:\d+:\d+/],
  ['an exception class', /\b(TypeError|RangeError|ReferenceError|SyntaxError|SqliteError|DatabaseError)\b/],
  ['the workspace path', new RegExp(WORKSPACE_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  ['a temporary path', new RegExp(`${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/encore-`)],
  ['node_modules', /node_modules/],
];

/** The property every answer must have, whatever was asked. */
function assertSafe(res: Response, attempt: Attempt): void {
  const text = (res.body as Buffer).toString('utf8');
  const where = `${attempt.method.toUpperCase()} ${attempt.url.slice(0, 200)} → ${res.status} ${text.slice(0, 400)}`;
  if (res.status >= 500) throw new Error(`5xx for client input: ${where}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) throw new Error(`body leaks ${what}: ${where}`);
  if (res.status < 400) return;
  if (!/^application\/json/.test(String(res.headers['content-type'])))
    throw new Error(`error without a JSON body: ${where}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message', 'requestId', 'statusCode']);
  expect(body).toEqual({
    statusCode: res.status,
    error: STATUS_CODES[res.status],
    message: expect.any(String),
    details: expect.any(Array),
    requestId: res.headers['x-request-id'],
  });
  expect((body['message'] as string).length).toBeGreaterThan(0);
  for (const detail of body['details'] as unknown[]) {
    expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const NASTY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x10',
  '1.5',
  '9'.repeat(400),
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '🎵🎶',
  'é',
  '../../etc/passwd',
  '..',
  '%00',
  '%',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  'admin',
  't1',
  'play',
  'hybrid',
  'pop',
];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, -1, 1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 1e21, ...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.nat(3000).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, as wrong as can be: deep mixtures of the values above, objects with dangerous keys. */
function jsonValue(keys: readonly string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    fc.constantFrom(...keys, '__proto__', 'constructor', 'prototype', ''),
    fc.string({ maxLength: 8 }),
  );
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => new RawObject(entries)),
    ),
  })).value;
}

/** An object literal written out key by key, so `__proto__` and repeated keys reach the server as own keys. */
class RawObject {
  constructor(readonly entries: [string, unknown][]) {}
}

function toJson(value: unknown): string {
  if (value instanceof RawObject) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  return JSON.stringify(value) ?? 'null';
}

/** A copy of `valid` with the value at one (possibly new) path replaced. */
function replaced(valid: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(valid) && typeof head === 'number') {
    const copy = [...valid];
    copy[Math.min(head, copy.length)] = replaced(copy[head], rest, value);
    return copy;
  }
  const base = typeof valid === 'object' && valid !== null && !Array.isArray(valid) ? valid : {};
  return new RawObject([
    ...Object.entries(base).filter(([k]) => k !== head),
    [String(head), replaced((base as Record<string, unknown>)[head], rest, value)],
  ]);
}

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":',
  '[1,2',
  '{"a":1}}',
  "{'a':1}",
  '{"a":1,}',
  '{a:1}',
  'NaN',
  '"just a string"',
  '123',
  'true',
  'null',
  '[]',
  '{}',
  '',
  ' ',
  '\uFEFF{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1e999}',
  '{"a":-0}',
  '{"__proto__":{"role":"admin","polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2,"a":{"__proto__":null}}',
  '/* comment */ {}',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/json;;;',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'x',
];

interface Endpoint {
  name: string;
  method: Method;
  /** The path for a (URL-encoded) id, or the fixed path. */
  path: (id: string) => string;
  /** A valid id for `path`, when it has one. */
  id?: () => string;
  /** The Authorization header of a caller allowed in (none for public routes); `alt` picks another such caller. */
  auth?: (alt: boolean) => string;
  /** A valid body, when the endpoint takes one; the fuzzer mutates it. */
  body?: () => unknown;
  /** Known query parameters, and a sensible value for each. */
  query?: Record<string, string>;
  /** Called with every answer, to keep credentials fresh after a request that legitimately changed them. */
  after?: (res: Response, attempt: Attempt) => Promise<void>;
}

function bodyArbitrary(endpoint: Endpoint): fc.Arbitrary<Attempt['body']> {
  const valid = endpoint.body?.() ?? {};
  const keys = paths(valid).flatMap((p) => p.filter((k): k is string => typeof k === 'string'));
  const json = (payload: string) => ({ contentType: 'application/json', payload });
  const oneFieldWrong = fc
    .tuple(fc.constantFrom(...paths(valid)), fc.option(fc.constantFrom(...keys, '__proto__', 'extra')), jsonValue(keys))
    .map(([path, extra, value]) => json(toJson(replaced(valid, extra === null ? path : [...path, extra], value))));
  const nested = (open: string, close: string, depth: number) => open.repeat(depth) + close.repeat(depth);
  return fc.oneof(
    oneFieldWrong,
    jsonValue(keys).map((value) => json(toJson(value))),
    fc.constantFrom(...MALFORMED_JSON).map(json),
    // Deeply nested arrays and objects, as the whole body and under a real field (within the 100 kB limit).
    fc
      .tuple(fc.constantFrom(100, 2000, 20_000), fc.boolean(), fc.option(fc.constantFrom('a', ...keys)))
      .map(([depth, arrays, field]) => {
        const deep = arrays ? nested('[', ']', depth) : nested('{"a":', '}', depth).replace(/\{"a":\}/, '{}');
        return json(field === null ? deep : toJson(replaced(valid, [field], null)).replace('null', deep));
      }),
    // Huge strings: just under and over the body limit, and many keys.
    fc
      .tuple(fc.constantFrom(...keys, 'x'), fc.constantFrom(90_000, 150_000))
      .map(([field, size]) => json(toJson(replaced(valid, [field], 'é'.repeat(size / 2))))),
    fc.constant(3000).map((n) => json(`{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
    // The right JSON under other content types, and other formats under the JSON type.
    fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.boolean()).map(([contentType, asForm]) => ({
      contentType,
      payload: asForm
        ? Object.keys(valid as object)
            .map((k) => `${k}=x&${k}[a][b][c][d][e][f][g]=1&__proto__[polluted]=1&constructor[prototype][polluted]=1`)
            .join('&') || 'a=1'
        : toJson(valid),
    })),
    // Not UTF-8: bytes that no decoder can read, inside an otherwise valid body.
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((junk) => {
      const text = toJson(replaced(valid, [keys[0] ?? 'x'], '@@'));
      const [before, after] = text.split('@@');
      return {
        contentType: 'application/json',
        payload: Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xc3, ...junk]), Buffer.from(after)]),
      };
    }),
  );
}

const NASTY_IDS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '%2F',
  'a%2Fb',
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%C0%AF',
  '%E0%A4%A',
  '%FF%FE',
  '%F0%9F%8E%B5',
  '__proto__',
  'constructor',
  'x'.repeat(2000),
  'x'.repeat(7000),
  '%20',
  '~',
  "'",
  '%3Cscript%3E',
  'null',
  '-1',
  '1e309',
];

const idArbitrary = fc.oneof(
  fc.constantFrom(...NASTY_IDS),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc.string({
    unit: fc.constantFrom(
      'a',
      '0',
      '-',
      '_',
      '.',
      '~',
      '%',
      '!',
      '$',
      '&',
      "'",
      '(',
      '*',
      '+',
      ',',
      ';',
      '=',
      ':',
      '@',
    ),
    maxLength: 30,
  }),
);

function queryArbitrary(endpoint: Endpoint): fc.Arbitrary<string> {
  const known = Object.keys(endpoint.query ?? {});
  const key = fc.oneof(
    fc.constantFrom('unknown', ...known, ...known.map((k) => `${k}[]`), ...known.map((k) => `${k}[a]`)),
    fc.constantFrom('__proto__', 'constructor', 'unknown', '', '[]', 'a[b][c]', '__proto__[polluted]'),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
  );
  const value = fc.oneof(
    fc.constantFrom(...NASTY_STRINGS, ...Object.values(endpoint.query ?? {})),
    fc.integer().map(String),
    fc.double().map(String),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.nat(5000).map((n) => 'x'.repeat(n)),
  );
  const encode = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s.replace(/[^\w]/g, '_'); // lone surrogates cannot be percent-encoded
    }
  };
  const pair = fc.oneof(
    fc.tuple(key, value).map(([k, v]) => `${encode(k)}=${encode(v)}`),
    fc.tuple(key, value).map(([k, v]) => `${encode(k)}=${encode(v)}&${encode(k)}=${encode(v)}&${encode(k)}=1`),
    fc.constantFrom('=', '&', '&&', '==', 'k', 'k=', '=1', '%', '%zz=1', 'k=%', 'k=%E0%A4%A', 'a;b=1', 'k=1%00'),
  );
  return fc.array(pair, { minLength: 1, maxLength: 6 }).map((pairs) => pairs.join('&'));
}

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

function headersArbitrary(endpoint: Endpoint): fc.Arbitrary<Record<string, string>> {
  const token = () => endpoint.auth?.(false) ?? '';
  const authorization = fc.oneof(
    headerText,
    headerText.map((t) => `Bearer ${t}`),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'bearer x.y.z',
      'Basic YTpi',
      'Bearer a.b.c',
      'Bearer ...',
      'Bearer a..',
      'Bearer e30.e30.e30',
    ),
    fc.nat(6000).map((n) => `Bearer ${'a'.repeat(n)}`),
    fc.constantFrom('space', 'suffix', 'prefix', 'lower', 'twice').map((how) => {
      const auth = token() || 'Bearer e30.e30.';
      if (how === 'space') return auth.replace('Bearer ', 'Bearer    ');
      if (how === 'suffix') return `${auth}x`;
      if (how === 'prefix') return `x${auth}`;
      if (how === 'lower') return auth.toLowerCase();
      return `${auth}, ${auth}`;
    }),
  );
  return fc.record(
    {
      authorization,
      'x-request-id': fc.oneof(
        headerText,
        fc.nat(3000).map((n) => 'r'.repeat(n)),
      ),
      accept: fc.constantFrom('*/*', 'text/html', 'application/xml', '', 'application/json;q=0'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', '::1', 'garbage', '999.999.999.999, ::ffff:1.2.3.4'),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'x', '*;q=0'),
      // Past Node's 16 kB header limit: answered by the server's clientError handler, not by Express.
      'x-padding': fc.constantFrom(2_000, 2_000, 2_000, 40_000).map((n) => 'p'.repeat(n)),
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
    },
    { requiredKeys: [] },
  );
}

interface Parts {
  body: Attempt['body'];
  id: string | undefined;
  query: string;
  headers: Record<string, string>;
}

/** One hostile variation of a request to `endpoint`: its body, its id, its query or its headers, or several. */
function attemptArbitrary(endpoint: Endpoint): fc.Arbitrary<Attempt> {
  const body = endpoint.method === 'post' ? bodyArbitrary(endpoint) : fc.constant(undefined);
  const id = endpoint.id ? idArbitrary : fc.constant(undefined);
  const query = queryArbitrary(endpoint);
  const headers = headersArbitrary(endpoint);
  // Mostly one thing wrong at a time, so each reaches the layer that checks it; sometimes everything at once.
  const parts = fc.oneof(
    { weight: endpoint.method === 'post' ? 4 : 0, arbitrary: fc.record({ body }) },
    { weight: endpoint.id ? 3 : 0, arbitrary: fc.record({ id }) },
    { weight: 3, arbitrary: fc.record({ query }) },
    { weight: 2, arbitrary: fc.record({ headers }) },
    { weight: 1, arbitrary: fc.record({ body, id, query, headers }, { requiredKeys: [] }) },
  );
  return fc
    .tuple(parts, fc.boolean())
    .map(([{ body, id, query, headers }, alt]: [Partial<Parts>, boolean]): Attempt => {
      const path = endpoint.path(id ?? endpoint.id?.() ?? '');
      const auth = endpoint.auth?.(alt);
      const valid = endpoint.body?.();
      const sent = headers ?? {};
      return {
        method: endpoint.method,
        url: query === undefined ? path : `${path}?${query}`,
        headers: { ...(auth && !('authorization' in sent) && { authorization: auth }), ...sent },
        body:
          body ??
          (endpoint.method === 'post' ? { contentType: 'application/json', payload: toJson(valid ?? {}) } : undefined),
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------

describe(`hostile input on every endpoint (fast-check seed ${SEED}, ${RUNS} runs each; FUZZ_SEED / FUZZ_RUNS)`, () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;
  let server: Server;
  let admin: SignedInUser;
  let listener: SignedInUser;
  /** Accounts the fuzzer may legitimately change (log out, delete, new password); renewed when it does. */
  let logoutUser: SignedInUser;
  let deletable: SignedInUser;
  let passwordUser: SignedInUser & { password: string };
  let jobId = 'none-yet';
  let activeVersion = '';
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  let accounts = 0;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        CATALOG_PATH: fixture.path,
        RATE_LIMIT_PER_MINUTE: '1000000',
        ENCORE_ADMIN_USER: ADMIN.username,
        ENCORE_ADMIN_PASSWORD: ADMIN.password,
        MODEL_POLL_SECONDS: '0',
      },
      overrides: [{ provide: TrainingRunner, useValue: new HeldTrainingRunner() }],
    });
    server = app.getHttpServer();
    admin = await signIn(server, ADMIN.username, ADMIN.password);
    listener = await signUp(server, 'fuzz-listener');
    logoutUser = await signUp(server, 'fuzz-logout');
    deletable = await signUp(server, 'fuzz-deletable');
    passwordUser = { ...(await signUp(server, 'fuzz-password')), password: TEST_PASSWORD };
    await request(server)
      .post(`/v1/users/${listener.id}/interactions`)
      .set('authorization', listener.auth)
      .send({
        events: [
          { songId: 't1', event: 'like', id: 'e1' },
          { songId: 't3', event: 'play' },
        ],
      })
      .expect(201);
    activeVersion = (await request(server).get('/v1/models').set('authorization', admin.auth).expect(200)).body.active;
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  const owner = (alt: boolean) => (alt ? admin.auth : listener.auth);
  const endpoints: Endpoint[] = [
    {
      name: 'POST /v1/auth/register',
      method: 'post',
      path: () => '/v1/auth/register',
      body: () => ({ username: `fuzz-${++accounts}`, password: 'a-good-password-1' }),
    },
    {
      name: 'POST /v1/auth/token',
      method: 'post',
      path: () => '/v1/auth/token',
      body: () => ({ username: 'fuzz-listener', password: TEST_PASSWORD }),
    },
    { name: 'GET /v1/auth/me', method: 'get', path: () => '/v1/auth/me', auth: () => listener.auth },
    {
      name: 'POST /v1/auth/logout',
      method: 'post',
      path: () => '/v1/auth/logout',
      auth: () => logoutUser.auth,
      after: async (res) => {
        if (res.status === 204) logoutUser = await signIn(server, 'fuzz-logout', TEST_PASSWORD);
      },
    },
    {
      name: 'POST /v1/auth/password',
      method: 'post',
      path: () => '/v1/auth/password',
      auth: () => passwordUser.auth,
      body: () => ({ currentPassword: passwordUser.password, newPassword: 'another-password-2' }),
      after: async (res, attempt) => {
        if (res.status !== 200) return;
        const sent = JSON.parse(String(attempt.body?.payload)) as { newPassword: string };
        passwordUser = { ...(await signIn(server, 'fuzz-password', sent.newPassword)), password: sent.newPassword };
      },
    },
    {
      name: 'DELETE /v1/users/:id',
      method: 'delete',
      path: (id) => `/v1/users/${id}`,
      id: () => deletable.id,
      auth: (alt) => (alt ? admin.auth : deletable.auth),
      after: async (res) => {
        if (res.status === 204) deletable = await signUp(server, `fuzz-deletable-${++accounts}`);
      },
    },
    {
      name: 'GET /v1/songs',
      method: 'get',
      path: () => '/v1/songs',
      query: { q: 'love', genre: 'pop', sort: 'popularity', page: '1', limit: '5' },
    },
    { name: 'GET /v1/songs/:id', method: 'get', path: (id) => `/v1/songs/${id}`, id: () => 't1' },
    {
      name: 'GET /v1/songs/:id/similar',
      method: 'get',
      path: (id) => `/v1/songs/${id}/similar`,
      id: () => 't1',
      query: { k: '5', exclude: 't2' },
    },
    {
      name: 'GET /v1/users/:id/recommendations',
      method: 'get',
      path: (id) => `/v1/users/${id}/recommendations`,
      id: () => listener.id,
      auth: owner,
      query: {
        k: '5',
        strategy: 'cf',
        genre: 'pop',
        excludeGenre: 'rock',
        exclude: 't2',
        maxPerArtist: '2',
        mmr: '0.5',
      },
    },
    {
      name: 'POST /v1/recommendations/session',
      method: 'post',
      path: () => '/v1/recommendations/session',
      body: () => ({ likedSongIds: ['t1', 't3'], k: 5, genre: ['pop'], exclude: ['t2'] }),
    },
    {
      name: 'POST /v1/users/:id/interactions',
      method: 'post',
      path: (id) => `/v1/users/${id}/interactions`,
      id: () => listener.id,
      auth: owner,
      body: () => ({
        events: [
          { songId: 't2', event: 'play', timestamp: '2026-01-31T12:00:00Z', id: 'c1-1' },
          { songId: 't5', event: 'skip', timestamp: 1767225600000 },
        ],
      }),
    },
    {
      name: 'GET /v1/users/:id/history',
      method: 'get',
      path: (id) => `/v1/users/${id}/history`,
      id: () => listener.id,
      auth: owner,
      query: { limit: '2', cursor: 'abc' },
    },
    { name: 'GET /v1/models', method: 'get', path: () => '/v1/models', auth: () => admin.auth },
    {
      name: 'POST /v1/models/train',
      method: 'post',
      path: () => '/v1/models/train',
      auth: () => admin.auth,
      body: () => ({
        params: { weights: { als: 1, itemKnn: 1, content: 0.5, popularity: 0.1 }, als: { factors: 8, iterations: 2 } },
        strategy: 'hybrid',
        activate: false,
      }),
      after: async (res) => {
        if (res.status === 202) jobId = JSON.parse((res.body as Buffer).toString()).jobId;
      },
    },
    {
      name: 'POST /v1/models/:version/activate',
      method: 'post',
      path: (id) => `/v1/models/${id}/activate`,
      id: () => activeVersion,
      auth: () => admin.auth,
    },
    { name: 'GET /v1/jobs', method: 'get', path: () => '/v1/jobs', auth: () => admin.auth },
    {
      name: 'GET /v1/jobs/:id',
      method: 'get',
      path: (id) => `/v1/jobs/${id}`,
      id: () => jobId,
      auth: () => admin.auth,
    },
    { name: 'GET /v1/admin/stats', method: 'get', path: () => '/v1/admin/stats', auth: () => admin.auth },
    { name: 'GET /v1/genres', method: 'get', path: () => '/v1/genres' },
    { name: 'GET /health', method: 'get', path: () => '/health' },
    { name: 'GET /metrics', method: 'get', path: () => '/metrics' },
    { name: 'an unknown route', method: 'get', path: (id) => `/v1/${id}`, id: () => 'nothing-here' },
  ];

  it.each(endpoints.map((e) => [e.name, e] as const))('%s', async (_name, endpoint) => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(attemptArbitrary(endpoint), async (attempt) => {
        const res = await send(server, attempt);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        assertSafe(res, attempt);
        await endpoint.after?.(res, attempt);
        // Nothing the request carried (`__proto__`, `constructor.prototype`) reached the server's prototypes.
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS, timeout: 20_000 },
    );
    // The variations reached the handler (some requests succeed) as well as every layer that refuses.
    const seen = [...statuses.keys()];
    expect(seen.some((status) => status < 300) || endpoint.name === 'an unknown route').toBe(true);
    expect(seen.some((status) => status >= 400)).toBe(true);
  });

  it('left every account with the role it was given', async () => {
    const me = await request(server).get('/v1/auth/me').set('authorization', listener.auth).expect(200);
    expect(me.body).toMatchObject({ id: listener.id, role: 'listener' });
    await request(server).get('/v1/admin/stats').set('authorization', listener.auth).expect(403);
  });
});
