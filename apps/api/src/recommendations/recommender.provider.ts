import { type FactoryProvider, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ArtifactStore } from '@encore/artifact-store';
import { InteractionStore, type InteractionBatch } from '@encore/interaction-store';
import { EngineRecommenderProvider, type InteractionFeedBatch } from '@encore/provider-engine';
import {
  FallbackRecommenderProvider,
  PersonalizeRecommenderProvider,
  type SongLookup,
} from '@encore/provider-personalize';
import { RecommenderProvider } from '@encore/recommender-port';
import { CatalogService } from '../catalog/catalog.service';
import type { Environment } from '../config/environment';
import { parseEventWeights } from '../config/platform-settings';
import { MetricsService } from '../metrics/metrics.service';

/**
 * The engine is always built: it is the provider, or Personalize's fallback. It starts in
 * RecommendationsModule.onModuleInit (after the catalog is loaded and demo listeners are stored):
 * from the active saved model when it fits the catalog, else by training (then saved and activated).
 */
export const engineProvider: FactoryProvider<EngineRecommenderProvider> = {
  provide: EngineRecommenderProvider,
  inject: [ConfigService, CatalogService, InteractionStore, ArtifactStore],
  useFactory: (
    config: ConfigService<Environment, true>,
    catalogs: CatalogService,
    store: InteractionStore,
    artifacts: ArtifactStore,
  ) => {
    // Dislikes are not weighted in the engine: they remove the song for the listener.
    const { dislike: _dislike, ...eventWeights } = parseEventWeights(config.get('EVENT_WEIGHTS', { infer: true }));
    return new EngineRecommenderProvider({
      catalog: () => catalogs.catalog,
      feed: (cursor) => eventsOf(store.interactionsSince(cursor)),
      artifacts,
      log: new Logger('Engine'),
      eventWeights,
      maxK: config.get('MAX_K', { infer: true }),
    });
  },
};

/** RECOMMENDER_PROVIDER picks the implementation here, and only here; the abstract class is the token. */
export const recommenderProvider: FactoryProvider<RecommenderProvider> = {
  provide: RecommenderProvider,
  inject: [ConfigService, EngineRecommenderProvider, CatalogService, MetricsService],
  useFactory: (
    config: ConfigService<Environment, true>,
    engine: EngineRecommenderProvider,
    catalogs: CatalogService,
    metrics: MetricsService,
  ): RecommenderProvider => {
    if (config.get('RECOMMENDER_PROVIDER', { infer: true }) !== 'personalize') return engine;
    const logger = new Logger('Recommender');
    const timeoutMs = config.get('PROVIDER_TIMEOUT_MS', { infer: true });
    const personalize = new PersonalizeRecommenderProvider({
      // Validation guarantees these are set when RECOMMENDER_PROVIDER=personalize.
      region: config.get('PERSONALIZE_REGION', { infer: true }) as string,
      userCampaignArn: config.get('PERSONALIZE_USER_CAMPAIGN_ARN', { infer: true }) as string,
      similarItemsCampaignArn: config.get('PERSONALIZE_SIMILAR_CAMPAIGN_ARN', { infer: true }) as string,
      trackingId: config.get('PERSONALIZE_TRACKING_ID', { infer: true }) as string,
      filterArn: config.get('PERSONALIZE_FILTER_ARN', { infer: true }),
      endpoint: config.get('PERSONALIZE_ENDPOINT', { infer: true }),
      // A little past the fallback deadline: the engine answers at the deadline, and the SDK call is
      // aborted just after, so slow calls do not pile up sockets.
      timeoutMs: timeoutMs + 50,
      // Retries must fit inside the fallback deadline, or the engine answers first anyway.
      retry: { attempts: 2, baseDelayMs: 25, maxDelayMs: Math.max(25, Math.floor(timeoutMs / 4)) },
      songs: catalogLookup(catalogs, engine),
    });
    return new FallbackRecommenderProvider(personalize, engine, {
      timeoutMs,
      failureThreshold: config.get('PROVIDER_CIRCUIT_FAILURES', { infer: true }),
      openMs: config.get('PROVIDER_CIRCUIT_OPEN_MS', { infer: true }),
      onPrimaryError: (operation, error) => {
        metrics.recordProviderError(operation, personalize.name);
        logger.warn(`personalize ${operation} failed, the engine answers: ${(error as Error).message}`);
      },
      onStateChange: (state) => logger.warn(`personalize circuit ${state}`),
    });
  },
};

/** The store's rows without their stored weight: the engine weighs event kinds itself (EVENT_WEIGHTS). */
async function* eventsOf(batches: AsyncIterable<InteractionBatch>): AsyncIterable<InteractionFeedBatch> {
  for await (const batch of batches) {
    const items = batch.items.map(({ userId, songId, event, timestamp }) => ({ userId, songId, event, timestamp }));
    yield { items, cursor: batch.cursor };
  }
}

/**
 * What Personalize may know about songs locally: existence, genres and artists from the loaded catalog, and how alike
 * two songs sound from the served engine model's feature vectors (for `mmr` diversity; 0 until a model is up).
 */
export function catalogLookup(catalogs: CatalogService, engine: EngineRecommenderProvider): SongLookup {
  const index = (id: string) => catalogs.catalog.indexOf(id);
  return {
    has: (id) => index(id) >= 0,
    genresOf: (id) => (index(id) >= 0 ? catalogs.catalog.genresOf(index(id)) : []),
    artistsOf: (id) => (index(id) >= 0 ? catalogs.catalog.artistsOf(index(id)) : []),
    similarity: (a, b) => {
      const model = engine.model;
      if (!model || model.catalog !== catalogs.catalog) return 0;
      const i = index(a);
      const j = index(b);
      return i >= 0 && j >= 0 ? model.features.cosine(i, j) : 0;
    },
  };
}
