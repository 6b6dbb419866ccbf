import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  RecommendationReasonDto,
  RecommendationsDto,
  RecommendationsQuery,
  RecommendationStrategy,
  RecommendedSongDto,
  SessionRecommendationsRequest,
  SimilarSongsQuery,
} from '@encore/api-contract';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SongSchema } from '../songs/song.schemas';

export const STRATEGIES: readonly RecommendationStrategy[] = ['hybrid', 'cf', 'content', 'popular'];
export const DEFAULT_K = 20;
/** Songs a guest session may name as liked: enough for a taste, small enough to fold in per request. */
export const MAX_LIKED_SONGS = 50;
const MAX_GENRES = 20;
const MAX_EXCLUDED = 200;

/** A repeated query parameter arrives as an array, a single one as a string: always an array here. */
const asArray = () => Transform(({ value }) => (typeof value === 'string' ? [value] : value));

/** Query of GET /v1/users/:id/recommendations. `k` is checked against MAX_K by the service (a config value). */
export class RecommendationsQueryDto implements RecommendationsQuery {
  @ApiPropertyOptional({ minimum: 1, default: DEFAULT_K, description: 'List length, at most MAX_K (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  k?: number;

  @ApiPropertyOptional({ enum: STRATEGIES, default: 'hybrid' })
  @IsOptional()
  @IsIn(STRATEGIES)
  strategy?: RecommendationStrategy;

  @ApiPropertyOptional({ type: [String], description: 'Only these genres (repeat for several; any matches)' })
  @IsOptional()
  @asArray()
  @IsString({ each: true })
  @ArrayMaxSize(MAX_GENRES)
  genre?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Never these genres (repeatable)' })
  @IsOptional()
  @asArray()
  @IsString({ each: true })
  @ArrayMaxSize(MAX_GENRES)
  excludeGenre?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Song ids to leave out of this list (repeatable)' })
  @IsOptional()
  @asArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @ArrayMaxSize(MAX_EXCLUDED)
  exclude?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'At most this many songs per artist' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  maxPerArtist?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Maximal marginal relevance trade-off: 1 = relevance only, lower = more varied',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  mmr?: number;
}

export class SimilarSongsQueryDto implements SimilarSongsQuery {
  @ApiPropertyOptional({ minimum: 1, default: DEFAULT_K, description: 'List length, at most MAX_K (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  k?: number;

  @ApiPropertyOptional({ type: [String], description: 'Song ids to leave out (repeatable)' })
  @IsOptional()
  @asArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @ArrayMaxSize(MAX_EXCLUDED)
  exclude?: string[];
}

export class SessionRecommendationsBody implements SessionRecommendationsRequest {
  @ApiProperty({
    type: [String],
    maxItems: MAX_LIKED_SONGS,
    example: ['5SuOikwiRyPMVoIQDJUgSV'],
    description: 'Catalog song ids the guest liked (none: what is popular)',
  })
  @IsArray()
  @ArrayMaxSize(MAX_LIKED_SONGS)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  likedSongIds!: string[];

  @ApiPropertyOptional({ minimum: 1, default: DEFAULT_K })
  @IsOptional()
  @IsInt()
  @Min(1)
  k?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(MAX_GENRES)
  genre?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @ArrayMaxSize(MAX_EXCLUDED)
  exclude?: string[];
}

// OpenAPI descriptions of the @encore/api-contract wire types.

export class RecommendationReasonSchema implements RecommendationReasonDto {
  @ApiProperty({ example: 'item-knn' }) source!: string;
  @ApiProperty({ example: 'Because you liked Halo by Beyoncé' }) text!: string;
  @ApiPropertyOptional() seedSongId?: string;
  @ApiPropertyOptional() genre?: string;
}

export class RecommendedSongSchema extends SongSchema implements RecommendedSongDto {
  @ApiProperty({ description: 'Relevance, non-increasing down the list' }) score!: number;
  @ApiProperty({ type: RecommendationReasonSchema }) reason!: RecommendationReasonSchema;
}

class FallbackSchema {
  @ApiProperty({ example: 'personalize' }) from!: string;
  @ApiProperty({ example: 'timeout after 800 ms' }) reason!: string;
}

export class RecommendationsSchema implements RecommendationsDto {
  @ApiProperty({ type: [RecommendedSongSchema] }) items!: RecommendedSongSchema[];
  @ApiProperty({ example: 'engine' }) provider!: string;
  @ApiProperty({ example: 'engine-20261125T115958Z-1ecd71d4' }) modelVersion!: string;
  @ApiPropertyOptional({ type: FallbackSchema, description: 'Set when the engine answered for a failing provider' })
  fallback?: FallbackSchema;
}
