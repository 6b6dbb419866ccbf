import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { FieldError, HistoryPageDto, RecordFeedbackResponse } from '@encore/api-contract';
import { InteractionStore, InvalidInteractionInputError, type StoredInteraction } from '@encore/interaction-store';
import { RecommenderProvider } from '@encore/recommender-port';
import { ResponseCache } from '@encore/response-cache';
import { userCacheKey, userCacheNamespace } from '../cache/cache-keys';
import { CatalogService } from '../catalog/catalog.service';
import { RequestValidationException } from '../common/validation';
import type { Environment } from '../config/environment';
import { parseEventWeights } from '../config/platform-settings';
import { MetricsService } from '../metrics/metrics.service';
import { type FeedbackEventDto, timestampMillis } from './feedback.dto';

/** Client clocks run a little ahead; anything later than this is a bug or a forgery. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** The provider's profile update is awaited (so the next recommendation reflects it) but never for longer. */
export const PROVIDER_UPDATE_TIMEOUT_MS = 2000;
export const DEFAULT_HISTORY_PAGE = 20;

/**
 * Listener feedback: validated against the catalog, stored durably, then passed to the recommendation provider and
 * the listener's cached responses dropped. Also serves the listener's history, newest first.
 */
@Injectable()
export class FeedbackService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FeedbackService.name);
  private readonly weights: ReturnType<typeof parseEventWeights>;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    @Inject(InteractionStore) private readonly store: InteractionStore,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly catalogs: CatalogService,
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    // Bound by the recommendations module when it exists; feedback works without it.
    @Optional() private provider?: RecommenderProvider,
  ) {
    this.weights = parseEventWeights(config.get('EVENT_WEIGHTS', { infer: true }));
  }

  onApplicationBootstrap(): void {
    // @Optional() only sees providers visible to this module; look app-wide in case the binding is not exported.
    if (this.provider) return;
    try {
      this.provider = this.moduleRef.get(RecommenderProvider, { strict: false });
    } catch {
      this.provider = undefined;
    }
  }

  async record(userId: string, events: FeedbackEventDto[]): Promise<RecordFeedbackResponse> {
    const rows = this.validate(userId, events);
    // Durable before we answer: appendInteractions resolves after its transaction is committed.
    const accepted = await this.store.appendInteractions(rows);
    this.metrics.recordInteractions(rows, accepted);
    if (accepted > 0) {
      // Provider first, cache second: a recommendation computed between the two would otherwise be cached stale.
      await this.updateProvider(userId, rows);
      await this.cache.invalidateNamespace(userCacheNamespace(userId));
    }
    return { accepted, duplicates: rows.length - accepted };
  }

  async history(userId: string, limit = DEFAULT_HISTORY_PAGE, cursor?: string): Promise<HistoryPageDto> {
    // First pages are what clients poll; later pages are read once while scrolling and not worth caching.
    const key = cursor === undefined ? userCacheKey(userId, `history:${limit}`) : undefined;
    if (key) {
      const cached = await this.cache.get<HistoryPageDto>(key);
      if (cached) return cached;
    }
    let page;
    try {
      page = await this.store.history(userId, { limit, before: cursor });
    } catch (error) {
      if (error instanceof InvalidInteractionInputError) {
        throw new RequestValidationException([
          { field: 'cursor', message: 'is not a cursor returned by this endpoint' },
        ]);
      }
      throw error;
    }
    const catalog = this.catalogs.catalog;
    const result: HistoryPageDto = {
      items: page.items.map((item) => {
        const i = catalog.indexOf(item.songId);
        return {
          ...(item.id !== undefined && { id: item.id }),
          songId: item.songId,
          event: item.event,
          timestamp: new Date(item.timestamp).toISOString(),
          song: i < 0 ? null : { id: catalog.ids[i], name: catalog.names[i], artists: catalog.artistsOf(i) },
        };
      }),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
    if (key) await this.cache.set(key, result, this.config.get('CACHE_TTL_SECONDS', { infer: true }));
    return result;
  }

  /** Checks every entry before anything is stored; each problem is reported with its `events[i].field` path. */
  private validate(userId: string, events: FeedbackEventDto[]): StoredInteraction[] {
    const max = this.config.get('MAX_EVENTS_PER_BATCH', { infer: true });
    if (events.length > max) {
      throw new RequestValidationException([
        { field: 'events', message: `must contain at most ${max} events (got ${events.length})` },
      ]);
    }
    const catalog = this.catalogs.catalog;
    const now = Date.now();
    const problems: FieldError[] = [];
    const rows = events.map((e, i): StoredInteraction => {
      if (catalog.indexOf(e.songId) < 0)
        problems.push({ field: `events[${i}].songId`, message: `unknown song id ${e.songId}` });
      const timestamp = e.timestamp === undefined ? now : (timestampMillis(e.timestamp) as number);
      if (timestamp > now + MAX_CLOCK_SKEW_MS) {
        problems.push({ field: `events[${i}].timestamp`, message: 'must not be more than 5 minutes in the future' });
      }
      return {
        ...(e.id !== undefined && { id: e.id }),
        userId,
        songId: e.songId,
        event: e.event,
        weight: this.weights[e.event],
        timestamp,
      };
    });
    if (problems.length > 0) throw new RequestValidationException(problems);
    return rows;
  }

  /** The events are stored already, so a failing or slow provider is logged and counted, never reported to the caller. */
  private async updateProvider(userId: string, rows: StoredInteraction[]): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        provider.recordInteractions(
          userId,
          rows.map(({ songId, event, timestamp }) => ({ songId, event, timestamp })),
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${PROVIDER_UPDATE_TIMEOUT_MS} ms`)),
            PROVIDER_UPDATE_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.metrics.recordProviderError('recordInteractions', provider.name);
      this.logger.warn(
        `provider ${provider.name} did not take ${rows.length} stored events of user ${userId}: ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
