import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { LISTENERS_CSV } from './testing/engine-fixtures';
import { SMALL_CATALOG_CSV, tempFiles } from './testing/memory-io';

// Runs the webpack bundle (built before this project's tests: see project.json) to prove that the
// worker-thread path works from dist, where the bundle is also the worker script.
const ROOT = resolve(__dirname, '../../..');
const BUNDLE = join(ROOT, 'dist/apps/cli/main.js');
const DATASET = resolve(ROOT, '../shared/data/spotify-tracks-114k/dataset.csv');
const run = promisify(execFile);
// Each case starts the bundle (and workers) on the 114K-row catalog: seconds idle, far more on a loaded machine.
jest.setTimeout(120_000);

async function ingestJson(file: string, threads: number) {
  const { stdout } = await run(process.execPath, [BUNDLE, 'ingest', file, '--json', '--threads', String(threads)], {
    cwd: ROOT,
  });
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const { elapsedMs: _e, songsPerSecond: _s, ...result } = JSON.parse(lines[0]);
  return result;
}

describe('the built CLI bundle', () => {
  beforeAll(() => {
    if (!existsSync(BUNDLE))
      throw new Error(`${BUNDLE} is missing: run "npx nx build cli" (nx test cli does it first)`);
  });

  it('ingests with worker threads and gives the single-thread result', async () => {
    const file = join(tempFiles({ 'catalog.csv': SMALL_CATALOG_CSV }), 'catalog.csv');
    const withWorkers = await ingestJson(file, 2);
    expect(withWorkers).toMatchObject({ threads: 2, rowsRead: 6, songs: 3, rejections: [{ line: 5 }, { line: 7 }] });
    expect({ ...withWorkers, threads: 1 }).toEqual(await ingestJson(file, 1));
  });

  it('ingests the shared Spotify catalog with workers', async () => {
    expect(await ingestJson(DATASET, 2)).toMatchObject({
      threads: 2,
      rowsRead: 114000,
      rejected: 158,
      songs: 89583,
      genres: 114,
    });
  });

  it('recommends for all users with worker threads and gives the single-thread lists', async () => {
    const dir = tempFiles({ 'listens.csv': LISTENERS_CSV });
    const lists = async (threads: number) => {
      const out = join(dir, `recs-${threads}.jsonl`);
      const { stdout } = await run(
        process.execPath,
        [BUNDLE, 'recommend', '--interactions', 'listens.csv', '--model', 'item-knn', '--all-users', '--k', '3'].concat(
          ['--threads', String(threads), '--output', out, '--json'],
        ),
        { cwd: dir },
      );
      expect(JSON.parse(stdout)).toMatchObject({ threads, users: 6 });
      return readFileSync(out, 'utf8');
    };
    const single = await lists(1);
    expect(single.trimEnd().split('\n')).toHaveLength(6);
    expect(await lists(3)).toBe(single);
  });
});
