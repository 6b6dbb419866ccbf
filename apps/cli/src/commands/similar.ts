import { resolve } from 'node:path';
import type { Catalog } from '@encore/catalog';
import { songFeatures } from '@encore/content';
import type { Command } from '../command';
import { defaultCatalogPath, loadCatalogFile, songLabel } from '../data/catalog-file';
import { formatTable } from '../format-table';

export interface SimilarSong {
  id: string;
  name: string;
  artists: string[];
  genres: string[];
  score: number;
}

/** Songs whose id or name matches `query`, for the "did you mean" hint. */
function candidates(catalog: Catalog, query: string): string[] {
  const q = query.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < catalog.size && out.length < 5; i++) {
    if (catalog.names[i].toLowerCase() === q || catalog.ids[i].toLowerCase().startsWith(q))
      out.push(`${catalog.ids[i]} (${songLabel(catalog, i)})`);
  }
  return out;
}

const similarSong = (catalog: Catalog, i: number, score: number): SimilarSong => ({
  id: catalog.ids[i],
  name: catalog.names[i],
  artists: catalog.artistsOf(i),
  genres: catalog.genresOf(i),
  score: Math.round(score * 1e6) / 1e6,
});

export const similarCommand: Command = {
  name: 'similar',
  summary: 'songs that sound alike: content similarity over audio features and genres',
  usage: 'similar --song ID [--catalog FILE] [--k K] [--json]',
  positionals: [],
  options: [
    { name: 'song', type: 'string', valueName: 'ID', description: 'the seed song id (Spotify track id)' },
    {
      name: 'catalog',
      type: 'string',
      valueName: 'FILE',
      description: 'catalog CSV (default data/sample/catalog.csv)',
    },
    { name: 'k', type: 'integer', min: 1, valueName: 'K', description: 'songs to list (default 10)' },
  ],
  async run(args, ctx) {
    const songId = args.requiredString('song', 'ID');
    const k = args.number('k') ?? 10;
    const file = resolve(ctx.io.cwd, args.string('catalog') ?? defaultCatalogPath(ctx.io.cwd));
    const catalog = await loadCatalogFile(file, ctx);
    const seed = catalog.indexOf(songId);
    if (seed < 0) {
      const hints = candidates(catalog, songId);
      throw new Error(
        `no song with id ${JSON.stringify(songId)} in ${file}${hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''}`,
      );
    }
    const started = performance.now();
    const features = songFeatures(catalog);
    const encodedMs = performance.now() - started;
    const queryStarted = performance.now();
    const similar = features.mostSimilar(seed, k).map((s) => similarSong(catalog, s.index, s.score));
    const queryMs = performance.now() - queryStarted;
    const result = {
      catalog: file,
      song: similarSong(catalog, seed, 1),
      k,
      similar,
      encodeMs: Math.round(encodedMs),
      queryMs: Math.round(queryMs * 1000) / 1000,
    };
    ctx.print(
      `Songs like ${songLabel(catalog, seed)} [${catalog.genresOf(seed).join(', ')}] among ${catalog.size.toLocaleString('en-US')} songs:\n` +
        formatTable(
          ['#', 'score', 'song', 'artists', 'genres', 'id'],
          similar.map((s, i) => [
            String(i + 1),
            s.score.toFixed(4),
            s.name,
            s.artists.join(', '),
            s.genres.join(', '),
            s.id,
          ]),
          [0, 1],
        ),
    );
    return result;
  },
};
