import { Inject, Injectable } from '@nestjs/common';
import { StoreUnavailableError } from '@encore/interaction-store';
import { ResponseCache } from '@encore/response-cache';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The API's Prometheus metrics, in a registry of its own (not prom-client's global one) so that several app
 * instances in one process, as in the tests, do not collide. Other modules record through the methods below.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly providerErrors = new Counter({
    name: 'encore_provider_errors_total',
    help: 'Failed calls to the recommendation provider, by provider and operation',
    labelNames: ['provider', 'operation'] as const,
    registers: [this.registry],
  });

  private readonly storeErrors = new Counter({
    name: 'encore_store_errors_total',
    help: 'Requests that failed because the interaction store was unavailable (answered 503)',
    registers: [this.registry],
  });

  private readonly interactionsReceived = new Counter({
    name: 'encore_interactions_received_total',
    help: 'Valid feedback events received, by event type (including retried duplicates)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  private readonly interactionsAccepted = new Counter({
    name: 'encore_interactions_accepted_total',
    help: 'Feedback events newly stored (duplicates of an already stored event id excluded)',
    registers: [this.registry],
  });

  private readonly modelInfo = new Gauge({
    name: 'encore_model_info',
    help: 'The model serving recommendations (value 1 on the active provider/version pair)',
    labelNames: ['provider', 'version'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(ResponseCache) cache: ResponseCache) {
    collectDefaultMetrics({ register: this.registry });
    // Cache counters live in the cache; they are copied at scrape time rather than counted twice.
    const cacheCounter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    cacheCounter('encore_cache_hits_total', 'Response cache hits', () => cache.stats().hits);
    cacheCounter('encore_cache_misses_total', 'Response cache misses', () => cache.stats().misses);
    cacheCounter(
      'encore_cache_errors_total',
      'Response cache backend failures (served as misses)',
      () => cache.stats().errors,
    );
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** For the recommendations module: a provider call that failed (whether or not a fallback answered). */
  recordProviderError(operation: string, provider = 'unknown'): void {
    this.providerErrors.inc({ provider, operation });
  }

  /** For the recommendations module: the provider and model version now serving. */
  setModelVersion(provider: string, version: string): void {
    this.modelInfo.reset();
    this.modelInfo.set({ provider, version }, 1);
  }

  /** After a feedback batch is stored: what came in, and how many of them were new. */
  recordInteractions(events: readonly { event: string }[], accepted: number): void {
    const counts = new Map<string, number>();
    for (const { event } of events) counts.set(event, (counts.get(event) ?? 0) + 1);
    for (const [event, count] of counts) this.interactionsReceived.inc({ event }, count);
    this.interactionsAccepted.inc(accepted);
  }

  /** Called by the global exception filter for every failed request. */
  observeException(exception: unknown): void {
    if (exception instanceof StoreUnavailableError) this.storeErrors.inc();
  }
}
