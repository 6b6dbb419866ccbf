import { Catalog, CatalogBuilder } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { Rng } from '@encore/linalg';
import { TASTE_FEATURES, TEMPO_MAX_BPM, TEMPO_MIN_BPM } from './lib/taste-space';

export interface SyntheticCatalogOptions {
  songs: number;
  genres?: number;
  /** Average songs per artist; artists stay within one genre. */
  songsPerArtist?: number;
  /** Share of songs that also carry the next genre (genre g and g + 1), like the real data's multi-genre tracks. */
  multiGenreRate?: number;
  seed?: number;
}

/**
 * A catalog shaped like the Spotify data at any size: genres are clusters in taste space (a random centre,
 * songs scattered around it), artists belong to one genre, popularity is skewed towards the low end.
 * Ids are `t000000`, `t000001`…, genres `genre-00`…, artists `artist-<genre>-<k>`.
 */
export function syntheticCatalog(options: SyntheticCatalogOptions): Catalog {
  const { songs, genres = 20, songsPerArtist = 8, multiGenreRate = 0.15, seed = 1 } = options;
  const rng = new Rng(seed);
  const centres = Array.from({ length: genres }, () => TASTE_FEATURES.map(() => 0.1 + 0.8 * rng.next()));
  const artistsPerGenre = Math.max(1, Math.round(songs / genres / songsPerArtist));
  const genreName = (g: number) => `genre-${String(g).padStart(2, '0')}`;
  const b = new CatalogBuilder();
  for (let i = 0; i < songs; i++) {
    const g = i % genres;
    const features: Record<string, number> = {};
    TASTE_FEATURES.forEach((f, k) => {
      const v = Math.min(1, Math.max(0, centres[g][k] + 0.1 * rng.normal()));
      features[f] = f === 'tempo' ? TEMPO_MIN_BPM + v * (TEMPO_MAX_BPM - TEMPO_MIN_BPM) : v;
    });
    const songGenres = [genreName(g)];
    if (genres > 1 && rng.next() < multiGenreRate) songGenres.push(genreName((g + 1) % genres));
    b.add(
      songFixture(`t${String(i).padStart(6, '0')}`, {
        artists: [`artist-${g}-${rng.int(artistsPerGenre)}`],
        genres: songGenres,
        popularity: Math.floor(100 * Math.pow(rng.next(), 1.6)),
        durationMs: 120_000 + rng.int(180_000),
        features,
      }),
    );
  }
  return b.build();
}
