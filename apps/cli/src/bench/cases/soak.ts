import { randomBytes } from 'node:crypto';
import { type BenchEnv, type BenchRunOutput, defineBenchCase } from '../bench-case';
import { residentMb } from '../proc-status';
import { percentile } from '../run-bench';
import { AcknowledgedFeedback } from '../soak/acknowledged-feedback';
import { PacedSchedule, realClock, runPaced } from '../soak/paced-schedule';
import { SOAK_KINDS, SOAK_MIX, type SoakRequestKind, SoakTraffic, searchTermsFrom } from '../soak/soak-traffic';
import { getJson, type RunningApi, startApi, stopApi } from './http';

export const DEFAULT_SOAK_MINUTES = 10;
export const DEFAULT_SOAK_RATE = 100;
const LISTENERS = 32;
const REGISTER_BATCH = 8;
const MAX_IN_FLIGHT = 256;
const REQUEST_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 10_000;
const HISTORY_PAGE = 100;
/** Error messages kept for the report (the first ones; the count covers all). */
const KEPT_ERRORS = 5;

interface SoakState {
  api: RunningApi;
  listenerIds: string[];
  tokens: string[];
  searchTerms: string[];
  listPages: number;
}

/** Registers the listeners and signs each in, a few at a time (password hashing dominates set-up). */
async function registerListeners(api: RunningApi): Promise<{ listenerIds: string[]; tokens: string[] }> {
  const listenerIds: string[] = new Array(LISTENERS);
  const tokens: string[] = new Array(LISTENERS);
  const json = { 'content-type': 'application/json' };
  const register = async (n: number): Promise<void> => {
    const username = `soak-listener-${String(n).padStart(2, '0')}`;
    const password = `${randomBytes(18).toString('base64url')}a1`;
    const user = await getJson<{ id: string }>(`${api.base}/v1/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password }),
    });
    const token = await getJson<{ accessToken: string }>(`${api.base}/v1/auth/token`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password }),
    });
    listenerIds[n] = user.id;
    tokens[n] = token.accessToken;
  };
  for (let n = 0; n < LISTENERS; n += REGISTER_BATCH) {
    await Promise.all(Array.from({ length: Math.min(REGISTER_BATCH, LISTENERS - n) }, (_, k) => register(n + k)));
  }
  return { listenerIds, tokens };
}

const ms = (x: number): number => Math.round(x * 100) / 100;

/**
 * Mixed traffic at a steady rate for minutes against the built API (SQLite in a private data directory):
 * browsing, similar songs, recommendations and 10% feedback POSTs from registered listeners with their own
 * tokens. Reports latency per request kind, errors and the server's RSS at the start, middle and end, then
 * reads every listener's history back and fails if any acknowledged feedback event is missing.
 */
export const soak = defineBenchCase({
  id: 'soak',
  name: 'soak: mixed traffic',
  unit: 'requests',
  repeat: 1,
  warmup: 0,
  explicit: true,
  setup: async (env): Promise<SoakState> => {
    const api = await startApi(env);
    try {
      const { listenerIds, tokens } = await registerListeners(api);
      const first = await getJson<{ items: { name: string }[]; total: number }>(`${api.base}/v1/songs?limit=100`);
      return {
        api,
        listenerIds,
        tokens,
        searchTerms: searchTermsFrom(first.items.map((s) => s.name)),
        listPages: Math.ceil(first.total / 20),
      };
    } catch (error) {
      await stopApi(api);
      throw error;
    }
  },
  run: async (state: SoakState, env: BenchEnv): Promise<BenchRunOutput> => {
    const { api, listenerIds, tokens } = state;
    const minutes = env.soakMinutes ?? DEFAULT_SOAK_MINUTES;
    const rate = env.soakRate ?? DEFAULT_SOAK_RATE;
    const schedule = new PacedSchedule(rate, minutes * 60_000);
    const traffic = new SoakTraffic(
      { listenerIds, songIds: api.songIds, searchTerms: state.searchTerms, listPages: state.listPages },
      20_260_601,
    );
    const acknowledged = new AcknowledgedFeedback();
    const latency = new Float64Array(schedule.total);
    const kindOf = new Uint8Array(schedule.total);
    const failed = new Uint8Array(schedule.total);
    const errorMessages: string[] = [];
    const clock = realClock();
    const pid = api.child.pid ?? -1;

    const rss = {
      start: residentMb(pid),
      middle: undefined as number | undefined,
      end: undefined as number | undefined,
    };
    let rssMax = rss.start ?? 0;
    const sampleRss = (): number | undefined => {
      const now = residentMb(pid);
      if (now !== undefined) rssMax = Math.max(rssMax, now);
      return now;
    };
    const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
    const middle = setTimeout(() => (rss.middle = sampleRss()), schedule.durationMs / 2);

    const send = async (i: number, dueTime: number): Promise<void> => {
      const plan = traffic.next(i);
      kindOf[i] = SOAK_KINDS.indexOf(plan.kind);
      let problem: string | null = null;
      try {
        const res = await fetch(`${api.base}${plan.path}`, {
          method: plan.method,
          headers: {
            authorization: `Bearer ${tokens[plan.listener]}`,
            ...(plan.body !== undefined && { 'content-type': 'application/json' }),
          },
          body: plan.body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) {
          if (plan.feedbackIds) acknowledged.acknowledge(listenerIds[plan.listener], plan.feedbackIds);
        } else problem = `${plan.method} ${plan.path} → ${res.status}: ${text.slice(0, 200)}`;
      } catch (error) {
        problem = `${plan.method} ${plan.path}: ${(error as Error).message}`;
      }
      latency[i] = clock.now() - dueTime;
      if (problem !== null) {
        failed[i] = 1;
        if (errorMessages.length < KEPT_ERRORS) errorMessages.push(problem);
      }
    };

    const started = clock.now();
    try {
      await runPaced(schedule, send, { maxInFlight: MAX_IN_FLIGHT, clock });
    } finally {
      clearInterval(sampler);
      clearTimeout(middle);
    }
    const elapsedMs = clock.now() - started;
    rss.end = sampleRss();
    rss.middle ??= rss.end;

    const verification = await acknowledged.verify(async (userId, cursor) => {
      const token = tokens[listenerIds.indexOf(userId)];
      const query = `limit=${HISTORY_PAGE}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await getJson<{ items: { id?: string }[]; nextCursor?: string }>(
        `${api.base}/v1/users/${encodeURIComponent(userId)}/history?${query}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      return { ids: page.items.map((item) => item.id), nextCursor: page.nextCursor };
    });

    const byKind = (kind: SoakRequestKind | null): Record<string, string | number> => {
      const k = kind === null ? -1 : SOAK_KINDS.indexOf(kind);
      const values: number[] = [];
      let errors = 0;
      let max = 0;
      for (let i = 0; i < schedule.total; i++) {
        if (k >= 0 && kindOf[i] !== k) continue;
        values.push(latency[i]);
        max = Math.max(max, latency[i]);
        errors += failed[i];
      }
      const share = kind === null ? 100 : (SOAK_MIX.find((m) => m.kind === kind)?.percent ?? 0);
      return {
        requests: kind ?? 'all',
        'mix %': share,
        count: values.length,
        errors,
        'p50 ms': values.length ? ms(percentile(values, 0.5)) : 0,
        'p99 ms': values.length ? ms(percentile(values, 0.99)) : 0,
        'max ms': ms(max),
      };
    };
    const all = byKind(null);
    const errors = all['errors'] as number;
    if (verification.missing.length > 0) {
      const sample = verification.missing
        .slice(0, 5)
        .map((m) => `${m.userId}/${m.id}`)
        .join(', ');
      throw new Error(
        `${verification.missing.length} of ${verification.acknowledged} acknowledged feedback events are not in the ` +
          `store (e.g. ${sample}); ${errors} request errors`,
      );
    }
    return {
      items: schedule.total,
      errors,
      latencySummaryMs: { p50: all['p50 ms'] as number, p99: all['p99 ms'] as number, max: all['max ms'] as number },
      tables: [
        {
          title: `Soak (${minutes} min at ${rate} req/s)`,
          rows: [...SOAK_KINDS.map(byKind), all],
          notes: [
            `${LISTENERS} registered listeners; open loop (latency counted from each request’s due time).`,
            ...errorMessages.map((m) => `error: ${m}`),
          ],
        },
        {
          title: 'Soak: server memory and durability',
          rows: [
            {
              'elapsed s': Math.round(elapsedMs / 100) / 10,
              'achieved req/s': Math.round((schedule.total * 1000) / elapsedMs),
              'RSS start MB': rss.start ?? '?',
              'RSS middle MB': rss.middle ?? '?',
              'RSS end MB': rss.end ?? '?',
              'RSS max MB': rssMax,
              'feedback acknowledged': verification.acknowledged,
              'found in store': verification.found,
              missing: verification.missing.length,
            },
          ],
          notes: [`RSS of the API process from /proc/<pid>/status (VmRSS), sampled every ${RSS_SAMPLE_MS / 1000} s.`],
        },
      ],
    };
  },
  teardown: ({ api }: SoakState) => stopApi(api),
});
