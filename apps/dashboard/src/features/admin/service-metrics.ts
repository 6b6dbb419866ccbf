import type { MetricFamily } from './prometheus';

export interface Bucket {
  /** Upper bound (`le`); the last bucket is +Inf. */
  le: number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

/**
 * Prometheus' `histogram_quantile`: find the bucket holding rank q·total and interpolate linearly inside it
 * (from 0 for the first bucket). A rank in the +Inf bucket answers the largest finite bound, since nothing
 * better is known. Null when there are no observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  if (q < 0 || q > 1) throw new RangeError(`quantile must be within 0…1 (got ${q})`);
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0 || sorted.at(-1)?.le !== Number.POSITIVE_INFINITY) return null;
  const rank = q * total;
  let previousLe = 0;
  let previousCount = 0;
  for (const { le, count } of sorted) {
    if (count >= rank && count > previousCount) {
      if (le === Number.POSITIVE_INFINITY) return previousLe;
      return previousLe + ((le - previousLe) * (rank - previousCount)) / (count - previousCount);
    }
    previousLe = le;
    previousCount = count;
  }
  return previousLe;
}

export interface ServiceMetrics {
  /** HTTP requests answered, monitoring routes excluded. */
  requests: number;
  /** Of those, answered with a 5xx. */
  serverErrors: number;
  /** Seconds; null before the first request. */
  latency: { p50: number | null; p99: number | null };
  /** `hitRate` is null before the first lookup. */
  cache: { hits: number; misses: number; hitRate: number | null };
  /** From `encore_model_info`: the provider and model version serving now. */
  model: { provider: string; version: string } | null;
}

export const REQUEST_HISTOGRAM = 'http_request_duration_seconds';
/** The admin panel polls these; counting them would make an idle API look busy. */
export const MONITORING_ROUTES: readonly string[] = ['/health', '/metrics'];

function counter(families: Map<string, MetricFamily>, name: string): number {
  return families.get(name)?.samples.reduce((sum, s) => sum + s.value, 0) ?? 0;
}

/** The figures the admin panel shows, from one scrape of the API's /metrics. */
export function summarizeServiceMetrics(
  families: Map<string, MetricFamily>,
  ignoredRoutes: readonly string[] = MONITORING_ROUTES,
): ServiceMetrics {
  const histogram = families.get(REQUEST_HISTOGRAM)?.samples ?? [];
  const counted = histogram.filter((s) => !ignoredRoutes.includes(s.labels['route'] ?? ''));

  // Quantiles over all routes together: add the cumulative bucket counts of every series, bound by bound.
  const byBound = new Map<number, number>();
  let requests = 0;
  let serverErrors = 0;
  for (const sample of counted) {
    if (sample.name === `${REQUEST_HISTOGRAM}_bucket`) {
      const le = Number(sample.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : sample.labels['le']);
      byBound.set(le, (byBound.get(le) ?? 0) + sample.value);
    } else if (sample.name === `${REQUEST_HISTOGRAM}_count`) {
      requests += sample.value;
      if ((sample.labels['status_code'] ?? '').startsWith('5')) serverErrors += sample.value;
    }
  }
  const buckets = [...byBound].map(([le, count]) => ({ le, count }));

  const hits = counter(families, 'encore_cache_hits_total');
  const misses = counter(families, 'encore_cache_misses_total');
  const active = families.get('encore_model_info')?.samples.find((s) => s.value === 1);

  return {
    requests,
    serverErrors,
    latency: { p50: histogramQuantile(0.5, buckets), p99: histogramQuantile(0.99, buckets) },
    cache: { hits, misses, hitRate: hits + misses > 0 ? hits / (hits + misses) : null },
    model: active ? { provider: active.labels['provider'] ?? '', version: active.labels['version'] ?? '' } : null,
  };
}
