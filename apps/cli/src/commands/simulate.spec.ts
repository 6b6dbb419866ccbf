import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMALL_CATALOG_CSV, tempFiles } from '../testing/memory-io';
import { runInProcess } from '../testing/engine-fixtures';
import type { SimulateResult } from './simulate';

describe('encore simulate', () => {
  const dir = tempFiles({ 'catalog.csv': SMALL_CATALOG_CSV });

  it('writes the same file for the same seed and a different one for another seed', async () => {
    const runs = [];
    for (const [out, seed] of [
      ['a.csv', '7'],
      ['b.csv', '7'],
      ['c.csv', '8'],
    ]) {
      const run = await runInProcess(['simulate', '--users', '25', '--seed', seed, '--out', out, '--json'], dir);
      expect(run.code).toBe(0);
      runs.push(run.json<SimulateResult>());
    }
    const [a, b, c] = ['a.csv', 'b.csv', 'c.csv'].map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const lines = a.trimEnd().split('\n');
    expect(lines[0]).toBe('user_id,item_id,event,weight,timestamp');
    expect(lines[1]).toMatch(/^u\d{4},[A-Za-z0-9]{22},(play,1|like,4|skip,-1),\d{13}$/);
    // Without --catalog the sample catalog that ships with the repo is used.
    expect(runs[0]).toMatchObject({ users: 25, seed: 7, songs: 4708, events: lines.length - 1 });
    expect(runs[0].catalog).toMatch(/data\/sample\/catalog\.csv$/);
    const byEvent = runs[0].byEvent;
    expect((byEvent['play'] ?? 0) + (byEvent['like'] ?? 0) + (byEvent['skip'] ?? 0)).toBe(runs[0].events);
  });

  it('reads --catalog and scales the events per user', async () => {
    const run = await runInProcess(
      [
        'simulate',
        '--catalog',
        'catalog.csv',
        '--users',
        '3',
        '--events-per-user',
        '10',
        '--out',
        'small.csv',
        '--json',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<SimulateResult>();
    expect(r).toMatchObject({ songs: 3, users: 3 });
    expect(r.events).toBeGreaterThanOrEqual(3 * 3); // min scales to 3 per user
    expect(r.events).toBeLessThanOrEqual(3 * 25); // max scales to 25 per user
  });

  it('exits 2 without --out and 1 for a missing catalog', async () => {
    const noOut = await runInProcess(['simulate', '--users', '3'], dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('missing --out FILE');
    const noCatalog = await runInProcess(['simulate', '--catalog', 'nope.csv', '--out', 'x.csv'], dir);
    expect(noCatalog.code).toBe(1);
    expect(noCatalog.stderr).toContain(`catalog not found: ${join(dir, 'nope.csv')}`);
  });
});
