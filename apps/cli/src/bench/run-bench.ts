import { type BenchCase, type BenchEnv, BenchSkip, type BenchTable } from './bench-case';

export interface BenchResult {
  id: string;
  name: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why a case was skipped or failed. */
  message?: string;
  unit?: string;
  repeats?: number;
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  /** Units processed per repetition (as returned by the last run). */
  items?: number;
  /** items / median seconds. */
  perSecond?: number;
  /** Per-operation latency percentiles in µs, for cases that time each operation (queries). */
  p50Us?: number;
  p99Us?: number;
  /** Slowest operation in µs, for cases that report a latency summary (HTTP load tests). */
  maxUs?: number;
  /** Failed operations over all timed repetitions (HTTP load tests: errors, timeouts, non-2xx). */
  errors?: number;
  /** Highest resident set size and V8 heap seen while the case ran (sampled every 10 ms and after each repetition). */
  peakRssMb?: number;
  peakHeapMb?: number;
  /** The case's own tables (the last timed repetition's). */
  tables?: readonly BenchTable[];
}

export interface BenchRunOptions {
  /** Overrides each case's `repeat`. */
  repeat?: number;
  onCaseStart?: (c: BenchCase) => void;
  now?: () => number;
}

/** The q-quantile (0…1) by nearest rank over the sorted values. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
const round = (ms: number): number => Math.round(ms * 100) / 100;
const us = (ms: number): number => Math.round(ms * 10_000) / 10;

/** Runs cases one after another; a failing case is recorded and the others still run. */
export async function runBenchCases(
  cases: readonly BenchCase[],
  env: BenchEnv,
  options: BenchRunOptions = {},
): Promise<BenchResult[]> {
  const now = options.now ?? (() => performance.now());
  const results: BenchResult[] = [];
  for (const c of cases) {
    options.onCaseStart?.(c);
    const base = { id: c.id, name: c.name };
    let state: unknown;
    try {
      state = await c.setup(env);
    } catch (error) {
      results.push(
        error instanceof BenchSkip
          ? { ...base, status: 'skipped', message: `skipped: ${error.message}` }
          : { ...base, status: 'failed', message: `setup failed: ${(error as Error).message}` },
      );
      continue;
    }
    let peakRss = 0;
    let peakHeap = 0;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 10);
    const repeats = options.repeat ?? c.repeat ?? 5;
    const times: number[] = [];
    const latencies: number[] = [];
    let summary: { p50: number; p99: number; max: number } | undefined;
    let errors: number | undefined;
    let tables: readonly BenchTable[] | undefined;
    let items = 0;
    try {
      for (let i = 0; i < (c.warmup ?? 1); i++) await c.run(state, env); // JIT, file cache
      for (let i = 0; i < repeats; i++) {
        const t0 = now();
        const out = await c.run(state, env);
        times.push(now() - t0);
        items = typeof out === 'number' ? out : out.items;
        if (typeof out !== 'number') {
          if (out.latenciesMs) for (const l of out.latenciesMs) latencies.push(l);
          if (out.latencySummaryMs) summary = out.latencySummaryMs;
          if (out.errors !== undefined) errors = (errors ?? 0) + out.errors;
          if (out.tables) tables = out.tables;
        }
        sample();
      }
      const med = median(times);
      results.push({
        ...base,
        status: 'ok',
        unit: c.unit,
        repeats,
        medianMs: round(med),
        minMs: round(Math.min(...times)),
        maxMs: round(Math.max(...times)),
        items,
        perSecond: med > 0 ? Math.round((items * 1000) / med) : 0,
        ...(latencies.length > 0 && {
          p50Us: Math.round(percentile(latencies, 0.5) * 10_000) / 10,
          p99Us: Math.round(percentile(latencies, 0.99) * 10_000) / 10,
        }),
        ...(summary && { p50Us: us(summary.p50), p99Us: us(summary.p99), maxUs: us(summary.max) }),
        ...(errors !== undefined && { errors }),
        peakRssMb: mb(peakRss),
        peakHeapMb: mb(peakHeap),
        ...(tables && { tables }),
      });
    } catch (error) {
      results.push({ ...base, status: 'failed', message: `failed: ${(error as Error).message}` });
    } finally {
      clearInterval(sampler);
      await c.teardown?.(state);
    }
  }
  return results;
}

const n = (x: number | undefined, digits = 0): string =>
  x === undefined ? '' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * An aligned text table: one row per case; skipped and failed cases show their message. The `max µs` and
 * `errors` columns appear only when a case reports them (HTTP load tests).
 */
export function formatBenchTable(results: readonly BenchResult[]): string {
  const load = results.some((r) => r.maxUs !== undefined || r.errors !== undefined);
  const header = [
    'case',
    'median ms',
    'min ms',
    'max ms',
    'throughput',
    'p50 µs',
    'p99 µs',
    ...(load ? ['max µs', 'errors'] : []),
    'peak RSS MB',
    'peak heap MB',
  ];
  const optional = (x: number | undefined, digits: number): string => (x === undefined ? '' : n(x, digits));
  const rows = results.map((r) =>
    r.status === 'ok'
      ? [
          r.name,
          n(r.medianMs, 1),
          n(r.minMs, 1),
          n(r.maxMs, 1),
          `${n(r.perSecond)} ${r.unit}/s`,
          optional(r.p50Us, 1),
          optional(r.p99Us, 1),
          ...(load ? [optional(r.maxUs, 1), optional(r.errors, 0)] : []),
          n(r.peakRssMb, 1),
          n(r.peakHeapMb, 1),
        ]
      : [r.name, r.message ?? r.status],
  );
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.filter((row) => i === 0 || row.length === header.length).map((row) => row[i].length)),
  );
  const line = (cells: string[]): string =>
    cells.length === 2
      ? `${cells[0].padEnd(widths[0])}  ${cells[1]}`
      : cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A case's own tables, each under its title: columns are the row keys in first-seen order, numbers right-aligned. */
export function formatBenchTables(tables: readonly BenchTable[]): string {
  return tables
    .map((t) => {
      const columns = [...new Set(t.rows.flatMap((row) => Object.keys(row)))];
      const cell = (v: string | number | undefined): string =>
        v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v;
      const cells = t.rows.map((row) => columns.map((c) => cell(row[c])));
      const numeric = columns.map((c) => t.rows.every((row) => row[c] === undefined || typeof row[c] === 'number'));
      const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
      const line = (row: string[]): string =>
        row
          .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
          .join('  ')
          .trimEnd();
      return [
        t.title,
        line(columns),
        widths.map((w) => '-'.repeat(w)).join('  '),
        ...cells.map(line),
        ...(t.notes ?? []),
      ].join('\n');
    })
    .join('\n\n');
}
