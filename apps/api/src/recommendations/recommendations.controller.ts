import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { RecommendationsDto } from '@encore/api-contract';
import { Public } from '../auth/access.decorators';
import { ApiErrorSchema } from '../common/api-error.schema';
import { UserIdPipe } from '../common/user-id.pipe';
import {
  RecommendationsQueryDto,
  RecommendationsSchema,
  SessionRecommendationsBody,
  SimilarSongsQueryDto,
} from './recommendations.dto';
import { type CachedAnswer, RecommendationsService } from './recommendations.service';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Told which cache key answered a GET, so the next identical request can be answered from it (CachedResponseShortcut). */
export const CACHE_ANSWER_LISTENER = Symbol('CacheAnswerListener');
export interface CacheAnswerListener {
  remember(req: IncomingMessage, res: ServerResponse, cacheKey: string, modelVersion: string): void;
}

/**
 * Sends the answer's JSON text as it is (no parse and re-serialisation) and tells the listener which cache key holds
 * it. Express still sets the ETag and answers a matching If-None-Match with 304.
 */
function answered(
  listener: CacheAnswerListener,
  req: IncomingMessage,
  res: ServerResponse,
  answer: CachedAnswer,
): string {
  if (answer.cacheKey !== undefined && answer.modelVersion !== undefined) {
    listener.remember(req, res, answer.cacheKey, answer.modelVersion);
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  return answer.json;
}

const BAD_REQUEST = { type: ApiErrorSchema, description: 'A parameter is invalid or unknown; details name it' };
const UNAVAILABLE = { type: ApiErrorSchema, description: 'The recommendation provider failed' };

@ApiTags('recommendations')
@ApiBearerAuth()
@Controller('v1/users/:id')
export class UserRecommendationsController {
  constructor(
    private readonly recommendations: RecommendationsService,
    @Inject(CACHE_ANSWER_LISTENER) private readonly listener: CacheAnswerListener,
  ) {}

  // Owner or admin only: the global AccessGuard applies that rule to every /v1/users/:id route.
  @Get('recommendations')
  @ApiOperation({ summary: 'Personal recommendations, each with the reason it was picked' })
  @ApiOkResponse({ type: RecommendationsSchema })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiForbiddenResponse({ type: ApiErrorSchema, description: "Another user's id (only the owner or an admin)" })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  async recommend(
    @Param('id', UserIdPipe) id: string,
    @Query() query: RecommendationsQueryDto,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<string> {
    return answered(this.listener, req, res, await this.recommendations.forUser(id, query));
  }
}

@ApiTags('recommendations')
@Controller('v1/songs')
export class SimilarSongsController {
  constructor(
    private readonly recommendations: RecommendationsService,
    @Inject(CACHE_ANSWER_LISTENER) private readonly listener: CacheAnswerListener,
  ) {}

  // Public like the catalog it browses: "more like this" needs no account.
  @Get(':id/similar')
  @Public()
  @ApiOperation({ summary: 'Songs that sound like this one (and that its listeners also play)' })
  @ApiOkResponse({ type: RecommendationsSchema })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse({ type: ApiErrorSchema, description: 'No song with this id' })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  async similar(
    @Param('id') id: string,
    @Query() query: SimilarSongsQueryDto,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<string> {
    return answered(this.listener, req, res, await this.recommendations.similar(id, query));
  }
}

@ApiTags('recommendations')
@Controller('v1/recommendations')
export class SessionRecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post('session')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Recommendations for a guest from the songs they liked (no account, nothing stored)' })
  @ApiOkResponse({ type: RecommendationsSchema })
  @ApiBadRequestResponse({ ...BAD_REQUEST, description: 'Invalid body; an unknown id is named as likedSongIds[i]' })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  session(@Body() body: SessionRecommendationsBody): Promise<RecommendationsDto> {
    return this.recommendations.forSession(body);
  }
}
