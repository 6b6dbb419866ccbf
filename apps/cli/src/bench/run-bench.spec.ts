import { BenchSkip, defineBenchCase } from './bench-case';
import { formatBenchTable, median, runBenchCases } from './run-bench';

const env = { dataDir: '/data', workerScript: '/w.js' };

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('runBenchCases', () => {
  it('times repetitions after one warm-up and reports median, min, max and throughput', async () => {
    const durations = [999, 30, 10, 20]; // warm-up first, then three timed runs
    let clock = 0;
    let calls = 0;
    const timed = defineBenchCase({
      id: 'fake',
      name: 'fake case',
      unit: 'rows',
      repeat: 3,
      setup: () => ({ rows: 1000 }),
      run: (state: { rows: number }) => {
        clock += durations[calls++];
        return state.rows;
      },
    });
    const [result] = await runBenchCases([timed], env, { now: () => clock });
    expect(calls).toBe(4);
    expect(result).toMatchObject({
      id: 'fake',
      status: 'ok',
      unit: 'rows',
      repeats: 3,
      medianMs: 20,
      minMs: 10,
      maxMs: 30,
      items: 1000,
      perSecond: 50000,
    });
    expect(result.peakRssMb).toBeGreaterThan(0);
    expect(result.peakHeapMb).toBeGreaterThan(0);
  });

  it('reports a skipped case and a failing case and still runs the rest', async () => {
    const skipped = defineBenchCase({
      id: 's',
      name: 'needs data',
      unit: 'rows',
      setup: () => {
        throw new BenchSkip('data not found: /data/x.csv');
      },
      run: () => 1,
    });
    const failing = defineBenchCase({
      id: 'f',
      name: 'breaks',
      unit: 'rows',
      setup: () => null,
      run: () => {
        throw new Error('boom');
      },
    });
    const fine = defineBenchCase({ id: 'ok', name: 'fine', unit: 'ops', repeat: 1, setup: () => null, run: () => 5 });
    const results = await runBenchCases([skipped, failing, fine], env);
    expect(results.map((r) => [r.id, r.status, r.message])).toEqual([
      ['s', 'skipped', 'skipped: data not found: /data/x.csv'],
      ['f', 'failed', 'failed: boom'],
      ['ok', 'ok', undefined],
    ]);
  });
});

describe('formatBenchTable', () => {
  it('aligns columns and shows the message of skipped cases', () => {
    const table = formatBenchTable([
      {
        id: 'a',
        name: 'ingest (1 thread)',
        status: 'ok',
        unit: 'rows',
        repeats: 5,
        medianMs: 312.5,
        minMs: 300,
        maxMs: 1234.56,
        items: 114000,
        perSecond: 364800,
        peakRssMb: 410.2,
        peakHeapMb: 250,
      },
      { id: 'b', name: 'train', status: 'skipped', message: 'skipped: data not found' },
    ]);
    expect(table.split('\n')).toEqual([
      'case               median ms  min ms   max ms      throughput  peak RSS MB  peak heap MB',
      '-----------------  ---------  ------  -------  --------------  -----------  ------------',
      'ingest (1 thread)      312.5   300.0  1,234.6  364,800 rows/s        410.2         250.0',
      'train              skipped: data not found',
    ]);
  });
});
