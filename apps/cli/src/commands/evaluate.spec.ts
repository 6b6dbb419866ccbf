import { tempFiles } from '../testing/memory-io';
import { POPULARITY_TEST_CSV, POPULARITY_TRAIN_CSV, runInProcess } from '../testing/engine-fixtures';
import type { EvaluateResult } from './evaluate';

describe('encore evaluate', () => {
  const dir = tempFiles({ 'train.csv': POPULARITY_TRAIN_CSV, 'test.csv': POPULARITY_TEST_CSV });

  it('scores a popularity model on an explicit train/test pair with hand-computed metrics', async () => {
    const run = await runInProcess(
      ['evaluate', '--train', 'train.csv', '--test', 'test.csv', '--model', 'popularity', '--k', '2', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<EvaluateResult>();
    expect(r.protocol).toMatchObject({ kind: 'files' });
    expect(r.results).toHaveLength(1);
    const m = r.results[0].metrics;
    // Popularity a=3, b=2, c=1; lists of unseen items at K = 2: u1 [c], u2 [b], u3 [c].
    // u1 relevant {c}: hit at rank 1 → P 1/2, R 1, nDCG 1, AP 1, hit 1.
    // u2 relevant {d} (unknown to training): no hit → all 0.
    // u3 relevant {c, d}: hit at rank 1 → P 1/2, R 1/2, nDCG 1/(1 + 1/log2 3) = 0.613147, AP 1/2, hit 1.
    expect(m.users).toBe(3);
    expect(m.precision).toBeCloseTo(1 / 3, 6);
    expect(m.recall).toBeCloseTo(0.5, 6);
    expect(m.ndcg).toBeCloseTo((1 + 1 / (1 + 1 / Math.log2(3))) / 3, 5);
    expect(m.map).toBeCloseTo(0.5, 6);
    expect(m.hitRate).toBeCloseTo(2 / 3, 6);
    // Items b and c of a, b, c were recommended; novelty = mean −log2(count/6) over c, b, c.
    expect(m.coverage).toBeCloseTo(2 / 3, 6);
    expect(m.novelty).toBeCloseTo((2 * Math.log2(6) + Math.log2(3)) / 3, 5);
    expect(run.stderr).toMatch(/popularity +0\.3333 +0\.5000 +0\.5377 +0\.5000 +0\.6667 +0\.6667 +2\.25 +3/);
  });

  it('prints the table on stdout without --json', async () => {
    const run = await runInProcess(
      ['evaluate', '--train', 'train.csv', '--test', 'test.csv', '--model', 'popularity', '--k', '2'],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('train.csv + test.csv: 10 interactions, 3 users, 4 items\n');
    expect(run.stdout).toMatch(
      /\nmodel +precision@2 +recall@2 +nDCG@2 +MAP@2 +hit rate@2 +coverage@2 +novelty@2 +users +fit s +eval s\n/,
    );
    expect(run.stderr).toBe('');
  });

  it('runs a grid search on a validation split of the training rows and reports every trial', async () => {
    const run = await runInProcess(
      [
        'evaluate',
        ...['--dataset', 'spotify-sim', '--users', '40', '--model', 'item-knn'],
        ...['--search', 'grid', '--space', 'neighbours=5,20;shrinkage=0,10', '--k', '5', '--json'],
      ],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<EvaluateResult>();
    const [result] = r.results;
    expect(result.search?.trials.map((t) => t.params)).toEqual([
      { neighbours: 5, shrinkage: 0 },
      { neighbours: 5, shrinkage: 10 },
      { neighbours: 20, shrinkage: 0 },
      { neighbours: 20, shrinkage: 10 },
    ]);
    const best = result.search?.best ?? {};
    const bestTrial = result.search?.trials.find(
      (t) => t.params['neighbours'] === best['neighbours'] && t.params['shrinkage'] === best['shrinkage'],
    );
    for (const t of result.search?.trials ?? [])
      expect(t.metrics.ndcg).toBeLessThanOrEqual(bestTrial?.metrics.ndcg ?? -1);
    expect(result.params).toMatchObject(best);
    expect(r.dataset).toMatchObject({ name: 'spotify-sim', users: 40 });
  });

  it('cross-validates with --folds and reports the spread', async () => {
    const run = await runInProcess(
      ['evaluate', '--dataset', 'spotify-sim', '--users', '30', '--model', 'popularity', '--folds', '3', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    const [result] = run.json<EvaluateResult>().results;
    expect(result.folds).toHaveLength(3);
    expect(result.std?.precision).toBeGreaterThanOrEqual(0);
    const mean = (result.folds ?? []).reduce((s, f) => s + f.precision, 0) / 3;
    expect(result.metrics.precision).toBeCloseTo(mean, 5);
  });

  it.each([
    [['--model', 'popularity', '--split', 'sideways'], '--split "sideways" is not one of stratified, chronological'],
    [['--model', 'nope'], '--model "nope" is not one of als, item-knn'],
    [['--model', 'als', '--param', 'factor=8'], 'als has no parameter "factor" (parameters: alpha,'],
    [['--model', 'als', '--param', 'factors=many'], 'als parameter factors must be a number, got "many"'],
    [['--model', 'als', '--param', 'factors=0'], 'als: factors must be an integer ≥ 1, got 0'],
    [['--model', 'all', '--param', 'factors=8'], '--param and --search need one --model, not all'],
    [['--model', 'als', '--search', 'grid'], '--search needs --space'],
    [['--model', 'als', '--search', 'grid', '--space', 'factors=8..16'], 'ranges (MIN..MAX) need --search random'],
    [['--model', 'popularity', '--ratio', '1.5'], '--ratio must be strictly between 0 and 1, got 1.5'],
    [['--model', 'popularity', '--k', '0'], '--k must be at least 1, got 0'],
    [['--model', 'popularity', '--dataset', 'netflix'], '--dataset "netflix" is not one of spotify-sim'],
    [['--model', 'popularity', '--bogus'], 'unknown option --bogus'],
  ])('exits 2 naming the flag for %j', async (argv, message) => {
    const run = await runInProcess(['evaluate', '--users', '10', ...argv], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('exits 2 for explicit files combined with a dataset, or a missing half', async () => {
    const half = await runInProcess(['evaluate', '--train', 'train.csv'], dir);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('missing --test FILE');
    const mixed = await runInProcess(
      ['evaluate', '--train', 'train.csv', '--test', 'test.csv', '--split', 'chronological'],
      dir,
    );
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--split cannot be combined with --train/--test');
  });

  it('exits 1 naming the line of a malformed interactions file', async () => {
    const bad = tempFiles({ 'train.csv': 'user_id,item_id\nu1\n', 'test.csv': POPULARITY_TEST_CSV });
    const run = await runInProcess(
      ['evaluate', '--train', 'train.csv', '--test', 'test.csv', '--model', 'popularity'],
      bad,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2: expected 2 fields as in the header, got 1');
  });
});
