import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GenreDto, Page, SongDto } from '@encore/api-contract';
import { Public } from '../auth/access.decorators';
import { ApiErrorSchema } from '../common/api-error.schema';
import { ListSongsQuery } from './list-songs.query';
import { GenreSchema, SongPageSchema, SongSchema } from './song.schemas';
import { SongsService } from './songs.service';

@ApiTags('songs')
@Public()
@Controller('v1/songs')
export class SongsController {
  constructor(private readonly songs: SongsService) {}

  @Get()
  @ApiOperation({ summary: 'Search and browse the catalog' })
  @ApiOkResponse({ type: SongPageSchema })
  @ApiBadRequestResponse({
    type: ApiErrorSchema,
    description: 'A query parameter is invalid or unknown; details name it',
  })
  list(@Query() query: ListSongsQuery): Page<SongDto> {
    return this.songs.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One song by its Spotify track id' })
  @ApiOkResponse({ type: SongSchema })
  @ApiNotFoundResponse({ type: ApiErrorSchema })
  get(@Param('id') id: string): SongDto {
    return this.songs.get(id);
  }
}

@ApiTags('songs')
@Public()
@Controller('v1/genres')
export class GenresController {
  constructor(private readonly songs: SongsService) {}

  @Get()
  @ApiOperation({ summary: 'Every genre with its song count, by name' })
  @ApiOkResponse({ type: [GenreSchema] })
  list(): GenreDto[] {
    return this.songs.genres();
  }
}
