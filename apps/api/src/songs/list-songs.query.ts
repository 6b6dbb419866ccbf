import { ApiPropertyOptional } from '@nestjs/swagger';
import type { SongQuery, SongSort } from '@encore/api-contract';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const SONG_SORTS: readonly SongSort[] = ['relevance', 'popularity', 'name'];
export const MAX_PAGE_SIZE = 100;

/** Query string of GET /v1/songs. `genre` may repeat (`?genre=rock&genre=metal`) and is OR-ed. */
export class ListSongsQuery implements SongQuery {
  @ApiPropertyOptional({
    description: 'Case-insensitive words matched against song name, artists and album',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Genre names (repeat the parameter for several; any of them matches)',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? [value] : value))
  @IsString({ each: true })
  @ArrayMaxSize(50)
  genre?: string[];

  @ApiPropertyOptional({
    enum: SONG_SORTS,
    default: 'relevance',
    description: 'relevance = name matches first, then popularity (popularity when there is no q)',
  })
  @IsOptional()
  @IsIn(SONG_SORTS)
  sort?: SongSort;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
