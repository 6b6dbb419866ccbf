import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER =
  'track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre';

/** Twelve songs in the Spotify Kaggle format, distinct popularity so popularity order is unambiguous. */
const SONGS: [id: string, artist: string, name: string, popularity: number, genre: string, danceability: number][] = [
  ['t1', 'Taylor Swift', 'Love Story', 90, 'pop', 0.62],
  ['t2', 'Kendrick Lamar', 'LOVE', 80, 'hip-hop', 0.8],
  ['t3', 'Billie Eilish', 'Lovely', 85, 'pop', 0.35],
  ['t4', 'Beyoncé', 'Crazy In Love', 70, 'r-n-b', 0.66],
  ['t5', 'Beyoncé', 'Halo', 75, 'r-n-b', 0.5],
  ['t6', 'The Beatles', 'Yesterday', 60, 'rock', 0.33],
  ['t7', 'Black Sabbath', 'Paranoid', 65, 'metal', 0.42],
  ['t8', 'Sigur Rós', 'Hoppípolla', 50, 'ambient', 0.21],
  ['t9', 'Miles Davis', 'So What', 55, 'jazz', 0.48],
  ['t10', 'The Dave Brubeck Quartet', 'Take Five', 58, 'jazz', 0.55],
  ['t11', 'Train', 'Hey Soul Sister', 72, 'pop', 0.67],
  ['t12', 'Daft Punk', 'One More Time', 68, 'electronic', 0.61],
];

export const FIXTURE_SONG_IDS = SONGS.map(([id]) => id);

/** Writes the catalog CSV into `dir` and returns its path (CATALOG_PATH); the API starts from it in about a second. */
export function writeFixtureCatalog(dir: string): string {
  const rows = SONGS.map(
    ([id, artist, name, popularity, genre, danceability], i) =>
      `${id},${artist},Album ${i + 1},${name},${popularity},${200_000 + i * 1000},False,${danceability},0.5,${i % 12},-6.5,1,0.05,0.2,0.0,0.1,0.5,${100 + i},4,${genre}`,
  );
  const path = join(dir, 'catalog.csv');
  writeFileSync(path, [HEADER, ...rows].join('\n'));
  return path;
}
