import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, runCli } from '../cli';
import { memoryIo, SMALL_CATALOG_CSV, SPOTIFY_HEADER, spotifyRow, tempFiles } from '../testing/memory-io';
import type { IngestResult } from './ingest';

describe('encore ingest', () => {
  const dir = tempFiles({
    'catalog.csv': SMALL_CATALOG_CSV,
    'renamed.csv':
      'id,title,artist_names,genre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo\ns1,One,X,rock,0.1,0.2,3,-5,1,0.1,0.2,0.3,0.4,0.5,99\n',
    'mapping.json': JSON.stringify({ id: 'id', name: 'title', artists: 'artist_names', genre: 'genre' }),
    'broken-mapping.json': '{ "name": ',
    'no-tempo.csv': SPOTIFY_HEADER.replace(',tempo', '') + '\n',
  });

  it('--json prints exactly one JSON object with the report and rejection line numbers', async () => {
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'catalog.csv', '--json', '--threads', '1'], m.io)).toBe(EXIT_OK);
    const lines = m.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]) as IngestResult;
    expect(result).toMatchObject({
      file: join(dir, 'catalog.csv'),
      threads: 1,
      rowsRead: 6,
      accepted: 4,
      rejected: 2,
      rejectedByReason: { 'out-of-range:energy': 1, 'out-of-range:tempo': 1 },
      rejections: [
        { line: 5, field: 'energy', reason: 'energy: 1.7 is outside [0, 1]' },
        { line: 7, field: 'tempo', reason: 'tempo: 0 must be > 0' },
      ],
      duplicatesMerged: 1,
      songs: 3,
      genres: 3,
      artists: 2,
    });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(result.songsPerSecond).toBeGreaterThanOrEqual(0);
    // The human summary still goes somewhere useful: stderr.
    expect(m.stderr()).toContain('Ingested catalog.csv');
  });

  it('prints a readable summary with the first N rejections on stdout', async () => {
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'catalog.csv', '--show-rejections', '1'], m.io)).toBe(EXIT_OK);
    const out = m.stdout();
    expect(out).toMatch(/^Ingested catalog\.csv \(0\.0 MB\) on 1 thread in \d+\.\d\d s/);
    expect(out).toContain('\n  rows read          6\n');
    expect(out).toContain('\n  rejected           2  out-of-range:energy 1, out-of-range:tempo 1\n');
    expect(out).toContain('\n  duplicates merged  1  same id in another genre\n');
    expect(out).toContain('\n  songs              3  3 genres, 2 artists\n');
    expect(out).toContain('First 1 rejected row (1 more not listed):\n  line 5  energy: 1.7 is outside [0, 1]\n');
    expect(m.stderr()).toBe('');
  });

  it('reads a CSV with other header names through --columns', async () => {
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'renamed.csv', '--columns', 'mapping.json', '--json'], m.io)).toBe(EXIT_OK);
    expect(JSON.parse(m.stdout())).toMatchObject({ rowsRead: 1, accepted: 1, songs: 1 });
  });

  it('fails with exit 1 naming a missing required column', async () => {
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'no-tempo.csv'], m.io)).toBe(EXIT_FAILURE);
    expect(m.stderr()).toContain('CSV is missing required column(s) "tempo"; header found: "track_id"');
  });

  it.each(['1', '2'])('refuses a Latin-1 file naming the byte and its line (--threads %s)', async (threads) => {
    const latin1 = `${SPOTIFY_HEADER}\n${spotifyRow('s1', { artists: 'Beyoncé' })}\n`;
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from(latin1, 'latin1'));
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'latin1.csv', '--threads', threads], m.io)).toBe(EXIT_FAILURE);
    expect(m.stderr()).toContain(
      `CSV is not valid UTF-8: byte 0xE9 on line 2 (byte offset ${latin1.indexOf('é')}) is not part of a UTF-8 character`,
    );
  });

  it('rejects an unreadable mapping file as a usage error', async () => {
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['ingest', 'renamed.csv', '--columns', 'broken-mapping.json'], m.io)).toBe(2);
    expect(m.stderr()).toContain('--columns');
  });
});
