import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request as LoadRequest, Result as LoadResult } from 'autocannon';
import { DEMO_SIMULATION } from '@encore/simulator';
import { type BenchCase, type BenchEnv, BenchSkip, type BenchRunOutput, defineBenchCase } from '../bench-case';
import { findWorkspaceRoot } from '../../workspace';

/** Load-test length per case unless `bench --http-seconds N` or ENCORE_BENCH_HTTP_SECONDS says otherwise. */
export const DEFAULT_HTTP_SECONDS = 20;
const CONNECTIONS = 64;
const K = 10;
/** Song ids fetched for rotation: 2,000 × 2,000 (song, exclude) pairs are far more than a run sends. */
const SONG_IDS = 2_000;
const STARTUP_TIMEOUT_MS = 180_000;
const API_BUNDLE = 'dist/apps/api/main.js';

export interface RunningApi {
  child: ChildProcess;
  base: string;
  dataDir: string;
  token: string;
  songIds: string[];
  listenerIds: string[];
  /** The tail of the API's output, for error messages. */
  log: () => string;
}

/** Which URL the i-th request of a run asks for. */
type PathFor = (api: RunningApi, i: number) => string;

export function httpSeconds(env: BenchEnv): number {
  const fromEnv = Number(process.env['ENCORE_BENCH_HTTP_SECONDS']);
  return env.httpSeconds ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_HTTP_SECONDS);
}

/**
 * The built API in its default shape (SQLite in a fresh temp dir, in-process cache, demo listeners), on a free
 * loopback port. The rate limit is lifted: 64 connections of one admin would otherwise measure 429s.
 */
export async function startApi(env: BenchEnv): Promise<RunningApi> {
  const root = env.workspaceRoot ?? findWorkspaceRoot(process.cwd());
  const bundle = join(root, API_BUNDLE);
  if (!existsSync(bundle)) {
    // The bench launcher only builds the CLI; building the API here is fine in a benchmark.
    const build = spawnSync('npx', ['nx', 'build', 'api', '--outputStyle=static'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (build.error || build.status !== 0 || !existsSync(bundle)) {
      throw new BenchSkip(`run \`npx nx build api\` (${API_BUNDLE} missing and the build failed)`);
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'encore-bench-http-'));
  // Random letters and digits, plus one of each so the password policy always accepts it.
  const password = `${randomBytes(24).toString('base64url')}a1`;
  const child = spawn(process.execPath, [bundle], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ENCORE_DATA_DIR: dataDir,
      ENCORE_ADMIN_USER: 'admin',
      ENCORE_ADMIN_PASSWORD: password,
      RATE_LIMIT_PER_MINUTE: '1000000',
      NO_COLOR: '1',
      // Empty means unset: the caller's shell must not point the benchmark at a shared database or cache.
      DATABASE_URL: '',
      REDIS_URL: '',
      CATALOG_PATH: '',
      JWT_SECRET: '',
      RECOMMENDER_PROVIDER: '',
      MAX_K: '',
    },
  });
  let tail = '';
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  // Both pipes are drained for the whole run: a full pipe would block the API's logging.
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const api: RunningApi = {
    child,
    base: '',
    dataDir,
    token: '',
    songIds: [],
    listenerIds: [],
    log: () => tail,
  };
  try {
    api.base = await waitFor(child, STARTUP_TIMEOUT_MS, () => {
      const port = /http:\/\/127\.0\.0\.1:(\d+)\/v1\/songs/.exec(api.log())?.[1];
      return port === undefined ? undefined : `http://127.0.0.1:${port}`;
    });
    let health = '';
    // 'ok' only once the recommender is up (the model is trained on the demo listeners).
    await waitFor(child, STARTUP_TIMEOUT_MS, async () => {
      health = await fetch(`${api.base}/health`)
        .then((r) => r.text())
        .catch((e: Error) => e.message);
      return /"status"\s*:\s*"ok"/.test(health) ? true : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last /health: ${health}`);
    });
    const token = await getJson<{ accessToken: string }>(`${api.base}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    api.token = token.accessToken;
    for (let page = 1; api.songIds.length < SONG_IDS; page++) {
      const songs = await getJson<{ items: { id: string }[]; total: number }>(
        `${api.base}/v1/songs?limit=100&page=${page}`,
      );
      for (const s of songs.items) api.songIds.push(s.id);
      if (songs.items.length === 0 || api.songIds.length >= songs.total) break;
    }
    if (api.songIds.length < 2) throw new Error(`the API serves ${api.songIds.length} songs; need at least 2`);
    // The ids DemoListeners stores (`sim-` + the simulator's zero-padded user id).
    const width = Math.max(4, String(DEMO_SIMULATION.users).length);
    for (let u = 1; u <= DEMO_SIMULATION.users; u++) api.listenerIds.push(`sim-u${String(u).padStart(width, '0')}`);
    return api;
  } catch (error) {
    await stopApi(api);
    throw new Error(`${(error as Error).message}\n--- API output (tail) ---\n${api.log()}`);
  }
}

export async function stopApi(api: RunningApi): Promise<void> {
  const { child } = api;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(api.dataDir, { recursive: true, force: true });
}

/** Polls `probe` every 200 ms until it returns a value; fails when the API exits or the time is up. */
async function waitFor<T>(
  child: ChildProcess,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the API exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the API was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** An autocannon run as a bench row: 2xx answers, latency percentiles, errors and non-2xx answers. */
export function loadOutput(r: LoadResult): BenchRunOutput {
  return {
    items: r['2xx'],
    latencySummaryMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors + r.non2xx,
  };
}

/** One autocannon run; the shared counter gives each request its own index across all connections. */
async function load(api: RunningApi, pathFor: PathFor, seconds: number, from: { next: number }): Promise<LoadResult> {
  // Loaded on use: autocannon is a dev dependency and the CLI image has none.
  const { default: autocannon } = await import('autocannon');
  return autocannon({
    url: api.base,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${api.token}` },
    requests: [{ method: 'GET', setupRequest: (req: LoadRequest) => ({ ...req, path: pathFor(api, from.next++) }) }],
  });
}

/**
 * A load-test case: its own API process (so one case's cache never serves another), a sanity request, a short
 * untimed warm-up (JIT; fills the cache for the cached variants), then one timed run of `httpSeconds`.
 */
function httpCase(id: string, name: string, pathFor: PathFor): BenchCase {
  return defineBenchCase({
    id,
    name,
    unit: 'requests',
    repeat: 1,
    warmup: 0,
    setup: async (env) => {
      const api = await startApi(env);
      try {
        const first = pathFor(api, 0);
        await getJson(`${api.base}${first}`, { headers: { authorization: `Bearer ${api.token}` } });
        const counter = { next: 1 };
        await load(api, pathFor, Math.min(2, httpSeconds(env)), counter);
        return { api, counter };
      } catch (error) {
        await stopApi(api);
        throw error;
      }
    },
    run: async ({ api, counter }, env): Promise<BenchRunOutput> => {
      return loadOutput(await load(api, pathFor, httpSeconds(env), counter));
    },
    teardown: ({ api }) => stopApi(api),
  });
}

// Uncached: request i pairs song (or listener) i mod n with an excluded song ⌊i / n⌋, so no two requests of a
// run share a cache key. Cached: one URL, answered from the response cache after the first request.
const exclude = (api: RunningApi, n: number, i: number): string =>
  encodeURIComponent(api.songIds[Math.floor(i / n) % api.songIds.length]);

export const httpSimilarUncached = httpCase('http-similar-uncached', 'http: similar (uncached)', (api, i) => {
  const n = api.songIds.length;
  return `/v1/songs/${encodeURIComponent(api.songIds[i % n])}/similar?k=${K}&exclude=${exclude(api, n, i)}`;
});

export const httpSimilarCached = httpCase(
  'http-similar-cached',
  'http: similar (cached)',
  (api) => `/v1/songs/${encodeURIComponent(api.songIds[0])}/similar?k=${K}`,
);

export const httpRecommendationsUncached = httpCase(
  'http-recommendations-uncached',
  'http: recommendations (uncached)',
  (api, i) => {
    const n = api.listenerIds.length;
    return `/v1/users/${api.listenerIds[i % n]}/recommendations?k=${K}&exclude=${exclude(api, n, i)}`;
  },
);

export const httpRecommendationsCached = httpCase(
  'http-recommendations-cached',
  'http: recommendations (cached)',
  (api) => `/v1/users/${api.listenerIds[0]}/recommendations?k=${K}`,
);
