import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  FeedbackEventInput,
  FeedbackEventType,
  HistoryItemDto,
  HistoryPageDto,
  RecordFeedbackRequest,
  RecordFeedbackResponse,
  SongSummaryDto,
} from '@encore/api-contract';
import { INTERACTION_EVENTS } from '@encore/interaction-store';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

/** Hard cap on any batch, checked before MAX_EVENTS_PER_BATCH so a huge array is refused without validating every entry. */
export const EVENTS_HARD_LIMIT = 10_000;
export const MAX_HISTORY_PAGE = 100;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO 8601 date-time with offset, or of a non-negative integer; `undefined` when neither. */
export function timestampMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !ISO_8601.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const IsTimestamp = () =>
  ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: (value) => timestampMillis(value) !== undefined,
      defaultMessage: () => 'must be an ISO 8601 date-time with a time zone or epoch milliseconds',
    },
  });

export class FeedbackEventDto implements FeedbackEventInput {
  @ApiProperty({ example: '5SuOikwiRyPMVoIQDJUgSV', description: 'Catalog song id' })
  @IsString()
  @MaxLength(64)
  songId!: string;

  @ApiProperty({ enum: INTERACTION_EVENTS })
  @IsIn(INTERACTION_EVENTS)
  event!: FeedbackEventType;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
    description: 'When it happened (ISO 8601 or epoch ms); default now; at most 5 minutes ahead',
  })
  @IsOptional()
  @IsTimestamp()
  timestamp?: string | number;

  @ApiPropertyOptional({
    example: 'c1-000042',
    description: 'Idempotency key, unique per user: a retry is stored once',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'must be 1 to 64 characters of A-Z a-z 0-9 . _ : -' })
  id?: string;
}

export class RecordFeedbackBody implements RecordFeedbackRequest {
  @ApiProperty({ type: [FeedbackEventDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENTS_HARD_LIMIT)
  @ValidateNested({ each: true })
  @Type(() => FeedbackEventDto)
  events!: FeedbackEventDto[];
}

export class RecordFeedbackSchema implements RecordFeedbackResponse {
  @ApiProperty({ description: 'Events newly stored' }) accepted!: number;
  @ApiProperty({ description: 'Events whose id was already stored (retries)' }) duplicates!: number;
}

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_PAGE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}

export class SongSummarySchema implements SongSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) artists!: string[];
}

export class HistoryItemSchema implements HistoryItemDto {
  @ApiPropertyOptional() id?: string;
  @ApiProperty() songId!: string;
  @ApiProperty({ enum: INTERACTION_EVENTS }) event!: FeedbackEventType;
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) timestamp!: string;
  @ApiProperty({ type: SongSummarySchema, nullable: true }) song!: SongSummarySchema | null;
}

export class HistoryPageSchema implements HistoryPageDto {
  @ApiProperty({ type: [HistoryItemSchema] }) items!: HistoryItemSchema[];
  @ApiPropertyOptional() nextCursor?: string;
}
