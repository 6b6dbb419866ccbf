import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_OK, EXIT_USAGE, runCli } from '../cli';
import { benchCommand, selectCases } from './bench';
import { memoryIo, tempFiles } from '../testing/memory-io';

describe('encore bench', () => {
  it('reports a case whose data is missing as skipped and writes the JSON results', async () => {
    const dir = tempFiles({});
    const m = memoryIo({ cwd: dir });
    const code = await runCli(
      ['bench', '--only', 'ingest-1', '--data-dir', join(dir, 'no-data'), '--out', 'results.json'],
      m.io,
    );
    expect(code).toBe(EXIT_OK);
    expect(m.stdout()).toContain(
      `ingest (1 thread)  skipped: data not found: ${join(dir, 'no-data', 'spotify-tracks-114k/dataset.csv')}`,
    );
    const written = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(written.results).toEqual([expect.objectContaining({ id: 'ingest-1-thread', status: 'skipped' })]);
    expect(written.node).toBe(process.version);
  });

  it('--json prints the same results object on stdout', async () => {
    const dir = tempFiles({});
    const m = memoryIo({ cwd: dir });
    expect(await runCli(['bench', '--only', 'ingest', '--data-dir', dir, '--out', 'r.json', '--json'], m.io)).toBe(
      EXIT_OK,
    );
    const out = JSON.parse(m.stdout());
    expect(out.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ['ingest-1-thread', 'skipped'],
      ['ingest-workers', 'skipped'],
    ]);
    expect(out.out).toBe(join(dir, 'r.json'));
  });

  it('exits 2 for an unknown case id, listing the known ones', async () => {
    const m = memoryIo();
    expect(await runCli(['bench', '--only', 'nope'], m.io)).toBe(EXIT_USAGE);
    expect(m.stderr()).toContain('--only nope: no such case; cases: ingest-1-thread, ingest-workers');
  });

  it('leaves the explicit cases (scaling, soak) out of the default run and runs them when named', () => {
    const ids = (only?: string) => selectCases(only).map((c) => c.id);
    expect(ids()).not.toContain('scaling');
    expect(ids()).not.toContain('soak');
    expect(ids()).toContain('ingest-1-thread');
    expect(ids('scaling')).toEqual(['scaling']);
    expect(ids('soak,ingest-1')).toEqual(['ingest-1-thread', 'soak']);
    expect(benchCommand.options.find((o) => o.name === 'only')?.description).toContain(
      'scaling, soak run only when named',
    );
  });
});
