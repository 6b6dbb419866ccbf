import { Controller, Get, HttpStatus, Inject, type OnApplicationBootstrap, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { HealthDto } from '@encore/api-contract';
import {
  DynamoInteractionStore,
  InteractionStore,
  PostgresInteractionStore,
  SqliteInteractionStore,
} from '@encore/interaction-store';
import { type ProviderHealth, RecommenderProvider } from '@encore/recommender-port';
import { RedisResponseCache, ResponseCache } from '@encore/response-cache';
import { Public } from '../auth/access.decorators';
import { CatalogService } from '../catalog/catalog.service';

type Check = HealthDto['checks'][string];

class CatalogHealthSchema {
  @ApiProperty() songs!: number;
  @ApiProperty() genres!: number;
  @ApiProperty({ example: 'data/sample/catalog.csv' }) source!: string;
}

class HealthSchema implements HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'error'] }) status!: HealthDto['status'];
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ type: CatalogHealthSchema }) catalog!: CatalogHealthSchema;
  @ApiProperty({
    example: {
      catalog: { status: 'up', detail: '5000 songs' },
      store: { status: 'up', detail: 'sqlite' },
      cache: { status: 'up', detail: 'memory' },
    },
  })
  checks!: HealthDto['checks'];
}

/** Dependencies whose failure stops the API from doing its job (503); the others only degrade it. */
const ESSENTIAL = new Set(['catalog', 'store']);

@ApiTags('health')
@Controller('health')
@Public()
@SkipThrottle()
export class HealthController implements OnApplicationBootstrap {
  private recommender: RecommenderProvider | undefined;

  constructor(
    private readonly catalogs: CatalogService,
    @Inject(InteractionStore) private readonly store: InteractionStore,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    try {
      this.recommender = this.moduleRef.get(RecommenderProvider, { strict: false });
    } catch {
      this.recommender = undefined; // no recommendations module bound
    }
  }

  @Get()
  @ApiOperation({ summary: 'Liveness and what is loaded: ok, degraded (cache or recommender down) or error (503)' })
  @ApiOkResponse({ type: HealthSchema })
  @ApiServiceUnavailableResponse({ type: HealthSchema, description: 'The catalog or the interaction store is down' })
  async health(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<HealthDto> {
    const loaded = this.catalogs.isLoaded;
    const catalog = loaded
      ? { songs: this.catalogs.catalog.size, genres: this.catalogs.genres.length, source: this.catalogs.source }
      : { songs: 0, genres: 0, source: '' };
    const checks: Record<string, Check> = {
      catalog: loaded ? { status: 'up', detail: `${catalog.songs} songs` } : { status: 'down', detail: 'not loaded' },
    };
    const [store, cache, recommender] = await Promise.all([
      this.storeCheck(),
      this.cacheCheck(),
      this.recommenderCheck(),
    ]);
    checks['store'] = store;
    checks['cache'] = cache;
    if (recommender) checks['recommender'] = recommender;
    const down = Object.entries(checks).filter(([, check]) => check.status === 'down');
    const status = down.some(([name]) => ESSENTIAL.has(name)) ? 'error' : down.length > 0 ? 'degraded' : 'ok';
    if (status === 'error') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status, uptimeSeconds: Math.floor(process.uptime()), catalog, checks };
  }

  private async storeCheck(): Promise<Check> {
    const kind =
      this.store instanceof PostgresInteractionStore
        ? 'postgres'
        : this.store instanceof SqliteInteractionStore
          ? 'sqlite'
          : this.store instanceof DynamoInteractionStore
            ? 'dynamodb'
            : this.store.constructor.name;
    // Public endpoint: say what is down, not the driver's error text (hosts, paths).
    const health = await this.store.health().catch(() => ({ ok: false }));
    return health.ok ? { status: 'up', detail: kind } : { status: 'down', detail: `${kind} unavailable` };
  }

  private async cacheCheck(): Promise<Check> {
    const kind = this.cache instanceof RedisResponseCache ? 'redis' : 'memory';
    const health = await this.cache.health().catch(() => ({ ok: false }));
    return health.ok ? { status: 'up', detail: kind } : { status: 'down', detail: `${kind} unavailable` };
  }

  private async recommenderCheck(): Promise<Check | undefined> {
    if (!this.recommender) return undefined;
    const name = this.recommender.name;
    const health = await this.recommender
      .health()
      .catch((error: Error): ProviderHealth => ({ ok: false, provider: name, detail: error.message }));
    const detail = [health.provider, health.modelVersion, health.detail].filter(Boolean).join(' ');
    return { status: health.ok ? 'up' : 'down', detail };
  }
}
