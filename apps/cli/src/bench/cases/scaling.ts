import type { Catalog } from '@encore/catalog';
import { ImplicitAls } from '@encore/collaborative';
import { songFeatures } from '@encore/content';
import type { InteractionEvent } from '@encore/features';
import { Rng } from '@encore/linalg';
import { DEMO_SIMULATION, ListenerSimulator } from '@encore/simulator';
import { buildMatrix } from '../../data/interaction-rows';
import { type BenchRunOutput, defineBenchCase } from '../bench-case';
import { residentMb, resetPeakResident } from '../proc-status';
import { percentile } from '../run-bench';
import { sizedCatalog } from '../scaling/sized-catalog';
import { ALS_BENCH_OPTIONS, fullCatalog } from './bench-data';

/** One row of the scaling table: a catalog size and how hard it is driven. */
export interface ScalingStep {
  label: string;
  /** Songs, or 'full' for the whole shared catalog as ingested (duplicates merged). */
  songs: number | 'full';
  alsIterations: number;
  /** Timed queries of each kind (similar songs, user top-10). */
  queries: number;
  /** Feature-engineering repetitions; the median is reported. */
  featureRuns: number;
}

/** Simulated events per song, and the cap, for the ALS training set of each size. */
export const EVENTS_PER_SONG = 10;
export const MAX_EVENTS = 1_000_000;
/** Events a simulated listener gets on average (DEMO_SIMULATION: 30…250, mean ≈ 100), to size the population. */
const EVENTS_PER_LISTENER = 90;

export const SCALING_STEPS: readonly ScalingStep[] = [
  { label: '10K', songs: 10_000, alsIterations: 15, queries: 1_000, featureRuns: 5 },
  { label: '50K', songs: 50_000, alsIterations: 15, queries: 1_000, featureRuns: 5 },
  { label: '114K (full)', songs: 'full', alsIterations: 15, queries: 1_000, featureRuns: 5 },
  // 1M songs: a 64-wide item sweep costs ~10× the full catalog's, so fewer sweeps keep the case within minutes.
  { label: '1M (synthetic)', songs: 1_000_000, alsIterations: 3, queries: 200, featureRuns: 1 },
];

/** The training-set size for a catalog: EVENTS_PER_SONG per song, at most MAX_EVENTS. */
export function scalingEvents(songs: number): number {
  return Math.min(MAX_EVENTS, EVENTS_PER_SONG * songs);
}

/**
 * The first `limit` events of simulated listeners over the catalog (as many listeners as that takes), counted
 * into `count.events` as they are consumed.
 */
function* simulatedEvents(catalog: Catalog, limit: number, count: { events: number }): Generator<InteractionEvent> {
  const sim = new ListenerSimulator(catalog, {
    ...DEMO_SIMULATION,
    users: Math.ceil(limit / EVENTS_PER_LISTENER),
    seed: 7,
  });
  let n = 0;
  for (let u = 0; u < sim.users.length; u++) {
    for (const e of sim.eventsOf(u)) {
      if (n++ >= limit) return;
      count.events = n;
      yield e;
    }
  }
}

const ms = (x: number): number => Math.round(x * 10) / 10;
/** Query latencies keep two decimals: at 10K songs they are fractions of a millisecond. */
const queryMs = (x: number): number => Math.round(x * 100) / 100;

function timedQueries(count: number, n: number, seed: number, query: (i: number) => void): number[] {
  const rng = new Rng(seed);
  const latencies: number[] = [];
  for (let q = 0; q < count; q++) {
    const i = rng.int(n);
    const t0 = performance.now();
    query(i);
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

function medianOf(values: number[]): number {
  return percentile(values, 0.5);
}

/** Measures one catalog size; everything but the timed phases (catalog, events, matrix) is set-up. */
export function measureScalingStep(source: Catalog, step: ScalingStep): Record<string, string | number> {
  const peakWindow = resetPeakResident();
  let heap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed + m.arrayBuffers);
  };
  const catalog = step.songs === 'full' ? source : sizedCatalog(source, step.songs, 20_260_601);
  sample();

  const featureTimes: number[] = [];
  let features = songFeatures(catalog);
  for (let r = 0; r < step.featureRuns; r++) {
    const t0 = performance.now();
    features = songFeatures(catalog);
    featureTimes.push(performance.now() - t0);
    sample();
  }
  const similar = timedQueries(step.queries, catalog.size, 11, (i) => features.mostSimilar(i, 10));
  sample();

  const count = { events: 0 };
  const data = buildMatrix(simulatedEvents(catalog, scalingEvents(catalog.size), count), catalog.ids);
  sample();
  const model = new ImplicitAls({ ...ALS_BENCH_OPTIONS, iterations: step.alsIterations });
  const t0 = performance.now();
  model.fit(data);
  const trainMs = performance.now() - t0;
  sample();
  const top10 = timedQueries(step.queries, data.users, 12, (u) => model.recommend(u, 10));
  sample();

  return {
    catalog: step.label,
    songs: catalog.size,
    'features ms': ms(medianOf(featureTimes)),
    'similar p50 ms': queryMs(percentile(similar, 0.5)),
    'similar p99 ms': queryMs(percentile(similar, 0.99)),
    listeners: data.users,
    events: count.events,
    'user×song pairs': data.nnz,
    'ALS 64f': `${step.alsIterations} it`,
    'ALS ms': Math.round(trainMs),
    'ALS ms/it': Math.round(trainMs / step.alsIterations),
    'top-10 p50 ms': queryMs(percentile(top10, 0.5)),
    'top-10 p99 ms': queryMs(percentile(top10, 0.99)),
    queries: step.queries,
    [peakWindow ? 'peak RSS MB' : 'peak RSS MB (process)']: residentMb('self', 'VmHWM') ?? 0,
    'heap+buffers MB': Math.round(heap / (1024 * 1024)),
  };
}

/**
 * How feature engineering, similar-songs queries, ALS training and user top-10 queries grow with the catalog:
 * samples of 10K and 50K songs, the full shared catalog and a synthetic 1M-song catalog (see sizedCatalog),
 * each with its own simulated listeners. Minutes long, so only with `--only scaling`.
 */
export const scaling = defineBenchCase({
  id: 'scaling',
  name: 'scaling: catalog 10K → 1M',
  unit: 'sizes',
  repeat: 1,
  warmup: 0,
  explicit: true,
  setup: (env) => fullCatalog(env),
  run: (source: Catalog): BenchRunOutput => {
    const rows = SCALING_STEPS.map((step) => measureScalingStep(source, step));
    return {
      items: rows.length,
      tables: [
        {
          title: 'Scaling (catalog size)',
          rows,
          notes: [
            `full = the shared 114,000-row file, ${source.size.toLocaleString('en-US')} songs after merging duplicates; ` +
              '10K/50K are seeded samples of it; 1M are perturbed copies of its rows (generation untimed).',
            `ALS training set: ${EVENTS_PER_SONG} simulated events per song, capped at ${MAX_EVENTS.toLocaleString('en-US')} ` +
              '(DEMO_SIMULATION listeners, seed 7); 64 factors, 15 iterations unless the row says fewer.',
            'features = songFeatures (encoder fit + encode + item vectors), median of 5 runs (1 at 1M); ' +
              'p50/p99 over the stated number of queries; peak RSS = this process per size (VmHWM reset before each).',
          ],
        },
      ],
    };
  },
});
