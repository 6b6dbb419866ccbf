import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { AdminStatsDto } from '@encore/api-contract';
import { InteractionStore } from '@encore/interaction-store';
import { RedisResponseCache, ResponseCache } from '@encore/response-cache';
import { Roles } from '../auth/access.decorators';
import { CatalogService } from '../catalog/catalog.service';
import { ApiErrorSchema } from '../common/api-error.schema';

class CacheStatsSchema {
  @ApiProperty({ enum: ['memory', 'redis'] }) backend!: 'memory' | 'redis';
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty() errors!: number;
  @ApiProperty({ required: false }) size?: number;
}

class AdminStatsSchema implements AdminStatsDto {
  @ApiProperty() interactions!: number;
  @ApiProperty() songs!: number;
  @ApiProperty({ type: CacheStatsSchema }) cache!: CacheStatsSchema;
  @ApiProperty() uptimeSeconds!: number;
}

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(InteractionStore) private readonly store: InteractionStore,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly catalogs: CatalogService,
  ) {}

  @Get('stats')
  @ApiOperation({ summary: 'Stored interactions, catalog size and cache counters (admin only)' })
  @ApiOkResponse({ type: AdminStatsSchema })
  @ApiForbiddenResponse({ type: ApiErrorSchema, description: 'Not an admin' })
  async stats(): Promise<AdminStatsDto> {
    return {
      interactions: await this.store.countInteractions(),
      songs: this.catalogs.catalog.size,
      cache: { backend: this.cache instanceof RedisResponseCache ? 'redis' : 'memory', ...this.cache.stats() },
      uptimeSeconds: Math.floor(process.uptime()),
    };
  }
}
