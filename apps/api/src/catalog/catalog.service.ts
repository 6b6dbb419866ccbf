import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Catalog } from '@encore/catalog';
import type { GenreDto } from '@encore/api-contract';
import { basename, isAbsolute, relative } from 'node:path';
import type { Environment } from '../config/environment';
import { CatalogLoader } from './catalog-loader';
import { SongSearchIndex } from './song-search-index';

interface LoadedState {
  catalog: Catalog;
  index: SongSearchIndex;
  genres: GenreDto[];
  source: string;
}

/**
 * Owns the song catalog: reads the configured CSV once at start-up, then serves it and its
 * search index from memory for the life of the process.
 */
@Injectable()
export class CatalogService implements OnModuleInit {
  private readonly logger = new Logger(CatalogService.name);
  private state: LoadedState | null = null;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly loader: CatalogLoader,
  ) {}

  async onModuleInit(): Promise<void> {
    const path = this.config.get('CATALOG_PATH', { infer: true });
    const started = performance.now();
    const { catalog, rows, rejected, notes } = await this.loader.load(path);
    const loaded = performance.now();
    const index = SongSearchIndex.build(catalog);
    catalog.indexOf(''); // builds the id lookup now rather than on the first GET /v1/songs/:id
    const source = displayPath(path);
    this.state = { catalog, index, genres: countGenres(catalog), source: publicPath(path) };
    const ms = (from: number, to: number) => Math.round(to - from);
    this.logger.log(
      `catalog ${source}: ${catalog.size} songs, ${catalog.genreNames.length} genres from ${rows} rows, ${rejected} rejected ` +
        `(read ${ms(started, loaded)} ms, search index ${ms(loaded, performance.now())} ms)`,
    );
    for (const note of notes) this.logger.warn(note);
  }

  get catalog(): Catalog {
    return this.loaded().catalog;
  }

  get index(): SongSearchIndex {
    return this.loaded().index;
  }

  /** Every genre with its song count, by name. */
  get genres(): GenreDto[] {
    return this.loaded().genres;
  }

  /**
   * Where the catalog came from, for public answers (/health): relative to the working directory when inside it,
   * else only the file name, so the server's directory layout is not given away.
   */
  get source(): string {
    return this.loaded().source;
  }

  get isLoaded(): boolean {
    return this.state !== null;
  }

  private loaded(): LoadedState {
    if (!this.state) throw new Error('catalog not loaded yet (CatalogService.onModuleInit has not run)');
    return this.state;
  }
}

function countGenres(catalog: Catalog): GenreDto[] {
  const counts = new Int32Array(catalog.genreNames.length);
  for (let p = 0; p < catalog.genreIds.length; p++) counts[catalog.genreIds[p]]++;
  return catalog.genreNames
    .map((name, g) => ({ name, songs: counts[g] }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function publicPath(path: string): string {
  const shown = displayPath(path);
  return shown === path ? basename(path) : shown;
}
