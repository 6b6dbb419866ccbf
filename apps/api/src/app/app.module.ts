import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminModule } from '../admin/admin.module';
import { AuthModule } from '../auth/auth.module';
import { CacheModule } from '../cache/cache.module';
import { RequestIdMiddleware } from '../common/request-id';
import { type EnvironmentContext, validateEnvironment } from '../config/environment';
import { DashboardMiddleware } from '../dashboard/dashboard.middleware';
import { FeedbackModule } from '../feedback/feedback.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ArtifactStoreModule } from '../models/artifact-store.module';
import { ModelsModule } from '../models/models.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { SongsModule } from '../songs/songs.module';
import { StoreModule } from '../store/store.module';

export interface AppModuleOptions extends EnvironmentContext {
  /** Variables that take precedence over process.env (tests use this instead of mutating process.env). */
  env?: Record<string, string | undefined>;
}

@Module({})
export class AppModule implements NestModule {
  /** One feature module per resource; later ones (auth, recommendations, feedback, models) are added to `imports`. */
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: true,
          validate: (raw) => validateEnvironment({ ...raw, ...options.env }, options),
        }),
        // Platform: global store, cache and metrics; auth brings the global guards (JWT → rate limit → access).
        StoreModule,
        CacheModule,
        MetricsModule,
        ArtifactStoreModule,
        AuthModule,
        HealthModule,
        SongsModule,
        FeedbackModule,
        AdminModule,
        RecommendationsModule,
        ModelsModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Order matters: the request id comes first so that dashboard files and 404s carry it too.
    consumer.apply(RequestIdMiddleware, DashboardMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
