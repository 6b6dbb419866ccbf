import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { HistoryPageDto, RecordFeedbackResponse } from '@encore/api-contract';
import { ApiErrorSchema } from '../common/api-error.schema';
import { UserIdPipe } from '../common/user-id.pipe';
import { HistoryPageSchema, HistoryQuery, RecordFeedbackBody, RecordFeedbackSchema } from './feedback.dto';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback')
@ApiBearerAuth()
@ApiForbiddenResponse({ type: ApiErrorSchema, description: "Another user's id (only the owner or an admin)" })
@Controller('v1/users/:id')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post('interactions')
  @ApiOperation({ summary: 'Record plays, likes, skips and dislikes; stored durably before the answer' })
  @ApiCreatedResponse({ type: RecordFeedbackSchema })
  @ApiBadRequestResponse({
    type: ApiErrorSchema,
    description: 'An entry is invalid (unknown song id, event, timestamp…); details name it as events[i].field',
  })
  @ApiServiceUnavailableResponse({
    type: ApiErrorSchema,
    description: 'Store unavailable; nothing stored; see Retry-After',
  })
  record(@Param('id', UserIdPipe) id: string, @Body() body: RecordFeedbackBody): Promise<RecordFeedbackResponse> {
    return this.feedback.record(id, body.events);
  }

  @Get('history')
  @ApiOperation({ summary: "The listener's interactions, newest first, with song summaries" })
  @ApiOkResponse({ type: HistoryPageSchema })
  history(@Param('id', UserIdPipe) id: string, @Query() query: HistoryQuery): Promise<HistoryPageDto> {
    return this.feedback.history(id, query.limit, query.cursor);
  }
}
