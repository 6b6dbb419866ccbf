import { Injectable, NotFoundException } from '@nestjs/common';
import type { GenreDto, Page, SongDto } from '@encore/api-contract';
import { CatalogService } from '../catalog/catalog.service';
import type { ListSongsQuery } from './list-songs.query';
import { toSongDto } from './song-dto';

export const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class SongsService {
  constructor(private readonly catalogs: CatalogService) {}

  list(query: ListSongsQuery): Page<SongDto> {
    const page = query.page ?? 1;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { total, indices } = this.catalogs.index.search({
      query: query.q,
      genres: query.genre,
      sort: query.sort ?? 'relevance',
      offset: (page - 1) * limit,
      limit,
    });
    const catalog = this.catalogs.catalog;
    return { items: indices.map((i) => toSongDto(catalog, i)), total, page, limit };
  }

  get(id: string): SongDto {
    const catalog = this.catalogs.catalog;
    const i = catalog.indexOf(id);
    if (i < 0) throw new NotFoundException(`song ${id} not found`);
    return toSongDto(catalog, i);
  }

  genres(): GenreDto[] {
    return this.catalogs.genres;
  }
}
