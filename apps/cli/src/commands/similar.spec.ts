import { SPOTIFY_HEADER, spotifyRow, tempFiles } from '../testing/memory-io';
import { runInProcess } from '../testing/engine-fixtures';
import type { SimilarSong } from './similar';

describe('encore similar', () => {
  // "twin" sounds exactly like "seed" and shares its genre; "cousin" shares the genre only;
  // "far" differs in both.
  const loud = { energy: '0.95', loudness: '-3', danceability: '0.9', acousticness: '0.01', valence: '0.9' };
  const quiet = { energy: '0.05', loudness: '-30', danceability: '0.1', acousticness: '0.99', valence: '0.1' };
  const dir = tempFiles({
    'catalog.csv': [
      SPOTIFY_HEADER,
      spotifyRow('seed', { ...loud, track_genre: 'metal', track_name: 'Seed' }),
      spotifyRow('far', { ...quiet, track_genre: 'ambient', track_name: 'Far' }),
      spotifyRow('cousin', { ...quiet, track_genre: 'metal', track_name: 'Cousin' }),
      spotifyRow('twin', { ...loud, track_genre: 'metal', track_name: 'Twin' }),
      '',
    ].join('\n'),
  });

  it('ranks the sound-alike first, then the same genre, with names and artists', async () => {
    const run = await runInProcess(
      ['similar', '--song', 'seed', '--catalog', 'catalog.csv', '--k', '3', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<{ song: SimilarSong; similar: SimilarSong[] }>();
    expect(r.song).toMatchObject({ id: 'seed', name: 'Seed', artists: ['Ann', 'Bo'] });
    expect(r.similar.map((s) => s.id).slice(0, 2)).toEqual(['twin', 'cousin']);
    expect(r.similar[0].score).toBeCloseTo(1, 5);
    expect(r.similar[0].score).toBeGreaterThan(r.similar[1].score);
    expect(run.stderr).toMatch(/Songs like Seed — Ann, Bo \[metal\] among 4 songs:\n/);
    expect(run.stderr).toMatch(/\n1 {2}1\.0000 {2}Twin +Ann, Bo +metal +twin\n/);
  });

  it('exits 1 for an unknown id, suggesting songs whose name matches', async () => {
    const run = await runInProcess(['similar', '--song', 'twin song', '--catalog', 'catalog.csv'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no song with id "twin song"');
    const byName = await runInProcess(['similar', '--song', 'Twin', '--catalog', 'catalog.csv'], dir);
    expect(byName.stderr).toContain('did you mean twin (Twin — Ann, Bo)?');
  });

  it('exits 2 without --song', async () => {
    const run = await runInProcess(['similar', '--catalog', 'catalog.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing --song ID');
  });
});
