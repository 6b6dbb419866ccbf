import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../command';

/** CLI streams captured in strings, for running commands in-process. */
export function memoryIo(options: { cwd?: string; tty?: boolean; env?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: options.tty ?? false, columns: 80 },
    cwd: options.cwd ?? process.cwd(),
    // In-process tests run TypeScript sources; worker threads are exercised through the built bundle.
    workerScript: '/nonexistent/worker.js',
    env: options.env ?? {},
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** A fresh temporary directory holding the given files. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'encore-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export const SPOTIFY_HEADER =
  'track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre';

/** A valid Spotify row; `fields` overrides columns by header name. */
export function spotifyRow(id: string, fields: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    track_id: id,
    artists: 'Ann;Bo',
    album_name: 'Album',
    track_name: `Song ${id}`,
    popularity: '50',
    duration_ms: '200000',
    explicit: 'False',
    danceability: '0.5',
    energy: '0.6',
    key: '5',
    loudness: '-7.5',
    mode: '1',
    speechiness: '0.05',
    acousticness: '0.2',
    instrumentalness: '1.01e-06',
    liveness: '0.1',
    valence: '0.7',
    tempo: '120.5',
    time_signature: '4',
    track_genre: 'pop',
    ...fields,
  };
  return SPOTIFY_HEADER.split(',')
    .map((c) => values[c])
    .join(',');
}

/** Six rows: a multi-line quoted name, a duplicate in another genre and two invalid rows. */
export const SMALL_CATALOG_CSV = [
  SPOTIFY_HEADER,
  spotifyRow('a', { track_genre: 'rock' }), // line 2
  spotifyRow('b', { track_name: '"Two\nLines, really"' }), // lines 3-4
  spotifyRow('c', { energy: '1.7' }), // line 5: rejected
  spotifyRow('a', { track_genre: 'indie' }), // line 6: merged into a
  spotifyRow('d', { tempo: '0' }), // line 7: rejected
  spotifyRow('e'), // line 8
  '',
].join('\n');
