import {
  RecommenderProvider,
  UnknownSongError,
  type ProviderHealth,
  type ProviderInteraction,
  type RecommendationRequest,
  type RecommendationResult,
  type SessionRecommendationRequest,
  type SimilarRequest,
} from '@encore/recommender-port';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface FallbackOptions {
  /** Longest wait for the primary before the fallback answers. Default 800. */
  timeoutMs: number;
  /** Consecutive primary failures (errors or timeouts) that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long an open circuit skips the primary before one trial call (half-open). Default 30000. */
  openMs: number;
  now: () => number;
  /** Every primary failure, for metrics and logs. */
  onPrimaryError?: (operation: string, error: unknown) => void;
  onStateChange?: (state: CircuitState) => void;
}

/**
 * Serves from `primary` (e.g. Personalize) and answers from `fallback` (the engine) whenever the
 * primary fails or is slower than `timeoutMs`, marking such answers with
 * `fallback: { from, reason }`. A circuit breaker stops hammering a primary that keeps failing:
 * after `failureThreshold` consecutive failures every call goes straight to the fallback for
 * `openMs`; then one trial call is let through (half-open) — success closes the circuit, failure
 * opens it again. Feedback always reaches the fallback (so its fold-in stays current) and reaches
 * the primary while the circuit is closed; a primary feedback failure is reported, not thrown,
 * because the API has already stored the events durably.
 */
export class FallbackRecommenderProvider extends RecommenderProvider {
  readonly name: string;
  readonly options: FallbackOptions;
  private failures = 0;
  private circuit: CircuitState = 'closed';
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly primary: RecommenderProvider,
    readonly fallback: RecommenderProvider,
    options: Partial<FallbackOptions> = {},
  ) {
    super();
    this.name = primary.name;
    this.options = { timeoutMs: 800, failureThreshold: 5, openMs: 30_000, now: Date.now, ...options };
    const o = this.options;
    if (!(o.timeoutMs > 0)) throw new Error(`fallback: timeoutMs must be > 0, got ${o.timeoutMs}`);
    if (!(Number.isInteger(o.failureThreshold) && o.failureThreshold >= 1))
      throw new Error(`fallback: failureThreshold must be an integer ≥ 1, got ${o.failureThreshold}`);
    if (!(o.openMs >= 0)) throw new Error(`fallback: openMs must be ≥ 0, got ${o.openMs}`);
  }

  get state(): CircuitState {
    return this.circuit;
  }

  recommend(request: RecommendationRequest): Promise<RecommendationResult> {
    return this.answer('recommend', (p) => p.recommend(request));
  }

  recommendForSession(request: SessionRecommendationRequest): Promise<RecommendationResult> {
    return this.answer('recommendForSession', (p) => p.recommendForSession(request));
  }

  similar(request: SimilarRequest): Promise<RecommendationResult> {
    return this.answer('similar', (p) => p.similar(request));
  }

  async recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void> {
    const toPrimary =
      this.circuit === 'closed'
        ? this.withTimeout(this.primary.recordInteractions(userId, interactions)).then(
            () => this.succeeded(),
            (error: unknown) => this.failed('recordInteractions', error),
          )
        : Promise.resolve();
    await Promise.all([this.fallback.recordInteractions(userId, interactions), toPrimary]);
  }

  async health(): Promise<ProviderHealth> {
    const [primary, fallback] = await Promise.all([
      this.primary
        .health()
        .catch((e: unknown): ProviderHealth => ({ ok: false, provider: this.primary.name, detail: String(e) })),
      this.fallback.health(),
    ]);
    return {
      // The service can answer as long as one of the two can.
      ok: (primary.ok && this.circuit !== 'open') || fallback.ok,
      provider: this.name,
      modelVersion: primary.modelVersion,
      detail:
        `circuit ${this.circuit}; ${primary.provider} ${primary.ok ? 'ok' : `failing (${primary.detail ?? 'unknown'})`}; ` +
        `fallback ${fallback.provider} ${fallback.ok ? 'ok' : 'down'}`,
    };
  }

  private async answer(
    operation: string,
    run: (provider: RecommenderProvider) => Promise<RecommendationResult>,
  ): Promise<RecommendationResult> {
    if (!this.admit()) return this.fromFallback(run, 'circuit open');
    try {
      const result = await this.withTimeout(run(this.primary));
      this.succeeded();
      return result;
    } catch (error) {
      // An unknown song is the caller's mistake, not an outage: the fallback would not know it either.
      if (error instanceof UnknownSongError) {
        this.trialInFlight = false;
        throw error;
      }
      this.failed(operation, error);
      return this.fromFallback(run, error instanceof PrimaryTimeout ? error.message : `error: ${messageOf(error)}`);
    }
  }

  private async fromFallback(
    run: (provider: RecommenderProvider) => Promise<RecommendationResult>,
    reason: string,
  ): Promise<RecommendationResult> {
    const result = await run(this.fallback);
    return { ...result, fallback: { from: this.primary.name, reason } };
  }

  /** Whether this call may use the primary; moves an open circuit to half-open once openMs has passed. */
  private admit(): boolean {
    if (this.circuit === 'closed') return true;
    if (this.circuit === 'open' && this.options.now() - this.openedAt >= this.options.openMs)
      this.setState('half-open');
    if (this.circuit === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  private succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.circuit !== 'closed') this.setState('closed');
  }

  private failed(operation: string, error: unknown): void {
    this.failures++;
    this.options.onPrimaryError?.(operation, error);
    if (this.circuit === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.now();
      this.trialInFlight = false;
      if (this.circuit !== 'open') this.setState('open');
    }
  }

  private setState(state: CircuitState): void {
    this.circuit = state;
    this.options.onStateChange?.(state);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.options.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PrimaryTimeout(ms)), ms);
    });
    // A primary that answers after the deadline must not surface as an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }
}

class PrimaryTimeout extends Error {
  constructor(ms: number) {
    super(`timeout after ${ms} ms`);
    this.name = 'PrimaryTimeout';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
