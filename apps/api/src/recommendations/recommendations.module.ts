import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { EngineRecommenderProvider } from '@encore/provider-engine';
import { RecommenderProvider } from '@encore/recommender-port';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { MetricsService } from '../metrics/metrics.service';
import { DemoListeners } from '../store/demo-listeners';
import { CachedResponseShortcut } from './cached-response-shortcut';
import {
  CACHE_ANSWER_LISTENER,
  SessionRecommendationsController,
  SimilarSongsController,
  UserRecommendationsController,
} from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';
import { engineProvider, recommenderProvider } from './recommender.provider';

/**
 * Recommendations, similar songs and guest sessions over the RecommenderProvider picked by config.
 * The engine trains here, during module init: after the catalog is loaded (CatalogModule is
 * imported, so it initialises first) and after demo listeners are in the store.
 */
@Module({
  imports: [CatalogModule, AuthModule],
  controllers: [UserRecommendationsController, SimilarSongsController, SessionRecommendationsController],
  providers: [
    engineProvider,
    recommenderProvider,
    RecommendationsService,
    CachedResponseShortcut,
    { provide: CACHE_ANSWER_LISTENER, useExisting: CachedResponseShortcut },
  ],
  // Feedback and health look the provider up app-wide; the models module swaps the engine's model.
  exports: [RecommenderProvider, EngineRecommenderProvider, RecommendationsService, CachedResponseShortcut],
})
export class RecommendationsModule implements OnModuleInit {
  private readonly logger = new Logger(RecommendationsModule.name);

  constructor(
    private readonly engine: EngineRecommenderProvider,
    @Inject(RecommenderProvider) private readonly provider: RecommenderProvider,
    private readonly demo: DemoListeners,
    private readonly metrics: MetricsService,
    private readonly recommendations: RecommendationsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.demo.ensureSeeded();
    const report = await this.engine.start();
    const version = this.engine.model?.version ?? 'untrained';
    const how =
      report.loadedFrom === 'artifact'
        ? `loaded from the artifact store in ${Math.round(report.startMs)} ms` +
          (report.replayedEvents > 0 ? `, ${report.replayedEvents} newer events folded in` : '')
        : `trained in ${Math.round(report.elapsedMs)} ms (start-up with saving ${Math.round(report.startMs)} ms)`;
    this.logger.log(
      `engine model ${version}: ${report.events} events of ${report.users} listeners over ${report.songs} songs, ${how}` +
        (report.unknownSongs > 0 ? ` (${report.unknownSongs} events for songs not in the catalog left out)` : ''),
    );
    this.metrics.setModelVersion(this.provider.name, this.recommendations.modelVersion());
  }
}
