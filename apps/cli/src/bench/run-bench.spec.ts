import { BenchSkip, defineBenchCase } from './bench-case';
import { formatBenchTable, formatBenchTables, median, percentile, runBenchCases } from './run-bench';

const env = { dataDir: '/data', workerScript: '/w.js' };

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([4, 1, 3, 2], 0.99)).toBe(4);
    expect(percentile([7], 0.01)).toBe(7);
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

  it('reports p50/p99 over the per-operation latencies of all timed runs, and honours warmup: 0', async () => {
    let calls = 0;
    const queries = defineBenchCase({
      id: 'q',
      name: 'queries',
      unit: 'queries',
      repeat: 2,
      warmup: 0,
      setup: () => null,
      run: () => {
        calls++;
        // 100 latencies per run: 1…100 ms, then 101…200 ms.
        const base = (calls - 1) * 100;
        return { items: 100, latenciesMs: Array.from({ length: 100 }, (_, i) => base + i + 1) };
      },
    });
    const [result] = await runBenchCases([queries], env);
    expect(calls).toBe(2);
    // Nearest rank over 200 values: p50 = 100th = 100 ms, p99 = 198th = 198 ms.
    expect(result).toMatchObject({ items: 100, p50Us: 100_000, p99Us: 198_000 });
  });

  it('takes a latency summary from the last timed run and sums errors over the timed runs', async () => {
    let calls = 0;
    const loadTest = defineBenchCase({
      id: 'http',
      name: 'load',
      unit: 'requests',
      repeat: 2,
      warmup: 1,
      setup: () => null,
      run: () => {
        calls++;
        return { items: 500, latencySummaryMs: { p50: calls, p99: 10 * calls, max: 12.34 * calls }, errors: calls };
      },
    });
    const [result] = await runBenchCases([loadTest], env);
    expect(calls).toBe(3);
    // Timed runs are calls 2 and 3 (the warm-up's error is not counted): errors 2 + 3, summary of call 3.
    expect(result).toMatchObject({ items: 500, p50Us: 3000, p99Us: 30_000, maxUs: 37_020, errors: 5 });
  });

  it("keeps the tables of a case's last timed run", async () => {
    let calls = 0;
    const tabled = defineBenchCase({
      id: 't',
      name: 'tabled',
      unit: 'sizes',
      repeat: 2,
      warmup: 0,
      setup: () => null,
      run: () => ({ items: 1, tables: [{ title: `run ${++calls}`, rows: [{ size: calls }] }] }),
    });
    const [result] = await runBenchCases([tabled], env);
    expect(result.tables).toEqual([{ title: 'run 2', rows: [{ size: 2 }] }]);
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
      {
        id: 'q',
        name: 'query',
        status: 'ok',
        unit: 'queries',
        repeats: 3,
        medianMs: 2000,
        minMs: 1900,
        maxMs: 2100,
        items: 1000,
        perSecond: 500,
        p50Us: 1850.25,
        p99Us: 4000,
        peakRssMb: 300,
        peakHeapMb: 100,
      },
      { id: 'b', name: 'train', status: 'skipped', message: 'skipped: data not found' },
    ]);
    expect(table.split('\n')).toEqual([
      'case               median ms   min ms   max ms      throughput   p50 µs   p99 µs  peak RSS MB  peak heap MB',
      '-----------------  ---------  -------  -------  --------------  -------  -------  -----------  ------------',
      'ingest (1 thread)      312.5    300.0  1,234.6  364,800 rows/s                          410.2         250.0',
      'query                2,000.0  1,900.0  2,100.0   500 queries/s  1,850.3  4,000.0        300.0         100.0',
      'train              skipped: data not found',
    ]);
  });

  it('adds max µs and errors columns when a case reports them', () => {
    const table = formatBenchTable([
      {
        id: 'h',
        name: 'http',
        status: 'ok',
        unit: 'requests',
        repeats: 1,
        medianMs: 3000,
        minMs: 3000,
        maxMs: 3000,
        items: 6000,
        perSecond: 2000,
        p50Us: 29_000,
        p99Us: 61_000,
        maxUs: 120_500,
        errors: 0,
        peakRssMb: 90,
        peakHeapMb: 20,
      },
    ]);
    expect(table.split('\n')).toEqual([
      'case  median ms   min ms   max ms        throughput    p50 µs    p99 µs     max µs  errors  peak RSS MB  peak heap MB',
      '----  ---------  -------  -------  ----------------  --------  --------  ---------  ------  -----------  ------------',
      'http    3,000.0  3,000.0  3,000.0  2,000 requests/s  29,000.0  61,000.0  120,500.0       0         90.0          20.0',
    ]);
  });
});

describe('formatBenchTables', () => {
  it('prints each table under its title: columns from the row keys, numbers right-aligned, then the notes', () => {
    const text = formatBenchTables([
      {
        title: 'Scaling',
        rows: [
          { catalog: '10K', songs: 10_000, 'p50 ms': 0.4449 },
          { catalog: '1M (synthetic)', songs: 1_000_000, 'p50 ms': 50.27, note: '3 it' },
        ],
        notes: ['sizes are songs'],
      },
      { title: 'Soak', rows: [{ errors: 0 }] },
    ]);
    expect(text.split('\n')).toEqual([
      'Scaling',
      'catalog             songs  p50 ms  note',
      '--------------  ---------  ------  ----',
      '10K                10,000    0.44',
      '1M (synthetic)  1,000,000   50.27  3 it',
      'sizes are songs',
      '',
      'Soak',
      'errors',
      '------',
      '     0',
    ]);
  });
});
