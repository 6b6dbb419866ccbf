import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempFiles } from '../testing/memory-io';
import { LISTENERS_CSV, runInProcess, touchedItems } from '../testing/engine-fixtures';
import type { TrainResult } from './train';

const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { user: string; items: string[] });

describe('encore recommend --all-users', () => {
  const dir = tempFiles({ 'listens.csv': LISTENERS_CSV });
  const touched = touchedItems(LISTENERS_CSV);

  it.each(['item-knn', 'als', 'popularity', 'ease', 'rp3beta', 'hybrid'])(
    'writes one {"user", "items"} line per user with no seen, skipped or disliked item (%s)',
    async (model) => {
      const out = `recs-${model}.jsonl`;
      const run = await runInProcess(
        ['recommend', '--interactions', 'listens.csv', '--all-users', '--k', '3', '--model', model, '--output', out],
        dir,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const lines = readJsonl(join(dir, out));
      expect(lines.map((l) => l.user)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
      for (const { user, items } of lines) {
        expect(Object.keys({ user, items })).toEqual(['user', 'items']);
        expect(items.length).toBeLessThanOrEqual(3);
        expect(new Set(items).size).toBe(items.length);
        for (const item of items) expect(touched.get(user)?.has(item)).toBe(false);
      }
      // u1 has seen s1, s2 and (skipped) s4 of their group: s3 is the only unseen song of it.
      if (model !== 'popularity') expect(lines[0].items[0]).toBe('s3');
      expect(run.stdout).toMatch(
        new RegExp(`^${model}.* 6 lists of 3 over 8 items in [\\d.]+ s → ${join(dir, out)}\\n$`),
      );
    },
  );

  it('writes the lines to stdout without --output', async () => {
    const run = await runInProcess(
      ['recommend', '--interactions', 'listens.csv', '--all-users', '--model', 'popularity'],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(6);
    // Listeners per song: s2 3; s1, s3, s6, s7, s8 2; s4, s5 1 (u1's skip and u6's dislike are no plays).
    // u6 has played s7, s8 and disliked s5; ties go to the song seen first in the file (s1, s3, s6).
    expect(JSON.parse(run.stdout.split('\n')[5])).toEqual({ user: 'u6', items: ['s2', 's1', 's3', 's6', 's4'] });
    expect(run.stderr).toContain('6 lists of 10');
  });

  it('picks the best known model when none is given (ALS for generic interactions)', async () => {
    const run = await runInProcess(
      ['recommend', '--interactions', 'listens.csv', '--all-users', '--output', 'best.jsonl', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ model: 'als', users: 6, items: 8, k: 10, threads: 1 });
  });
});

describe('encore recommend --user', () => {
  const dir = tempFiles({ 'listens.csv': LISTENERS_CSV });

  it('prints a table with scores and the seed song behind each item', async () => {
    const run = await runInProcess(
      ['recommend', '--interactions', 'listens.csv', '--user', 'u1', '--k', '2', '--model', 'item-knn', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<{ items: { item: string; score: number; reason: string }[] }>();
    expect(r.items[0]).toMatchObject({ item: 's3', reason: expect.stringMatching(/^item-knn: because of s[12]$/) });
    expect(run.stderr).toMatch(/Top 2 for user u1 \(3 seen items left out\)/);
    expect(run.stderr).toMatch(/\n1 {2}s3 +\d\.\d{4} {2}item-knn: because of s[12]\n/);
  });

  it('exits 1 for a user the data does not know', async () => {
    const run = await runInProcess(
      ['recommend', '--interactions', 'listens.csv', '--user', 'u99', '--model', 'popularity'],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('user "u99" is not in the training data (6 users, e.g. u1, u2, u3)');
  });

  it.each([
    [['--all-users', '--user', 'u1'], 'give exactly one of --all-users and --user ID'],
    [['--user', 'u1', '--output', 'x.jsonl'], '--output applies to --all-users'],
    [['--all-users', '--json'], '--all-users --json needs --output FILE'],
    [['--all-users', '--model', 'all'], '--model "all" is not one of'],
    [['--all-users', '--k', 'ten'], '--k must be an integer, got "ten"'],
    [['--all-users', '--columns', 'usr=x'], '--columns "usr=x": expected FIELD=HEADER'],
  ])('exits 2 naming the flag for %j', async (argv, message) => {
    const run = await runInProcess(['recommend', '--interactions', 'listens.csv', ...argv], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('encore train → recommend --artifact', () => {
  const dir = tempFiles({ 'listens.csv': LISTENERS_CSV });

  it('publishes a version whose lists match a model fitted on the spot', async () => {
    const train = await runInProcess(
      [
        ...['train', '--interactions', 'listens.csv', '--model', 'als', '--param', 'factors=4,iterations=5'],
        ...['--out', 'models', '--activate', '--evaluate', '--split', 'leave-last-out', '--json'],
      ],
      dir,
    );
    expect(train.code).toBe(0);
    const t = train.json<TrainResult>();
    expect(t).toMatchObject({ active: true, model: { name: 'als', params: { factors: 4, iterations: 5 } } });
    expect(t.fit).toMatchObject({ users: 6, items: 8 });
    expect(t.evaluation?.metrics.users).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'models', t.version, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.metrics)).toEqual(expect.arrayContaining(['ndcg@10', 'precision@10']));
    expect(manifest.trainingFingerprint).toBe(t.fingerprint);
    expect(manifest.meta.training).toMatchObject({ dataset: 'interactions', interactions: 17 });

    const args = ['--all-users', '--k', '4'];
    const fresh = await runInProcess(
      [
        'recommend',
        '--interactions',
        'listens.csv',
        '--model',
        'als',
        '--param',
        'factors=4,iterations=5',
        ...args,
        '--output',
        'a.jsonl',
      ],
      dir,
    );
    const fromStore = await runInProcess(['recommend', '--artifact', 'models', ...args, '--output', 'b.jsonl'], dir);
    const fromVersion = await runInProcess(
      ['recommend', '--artifact', join('models', t.version), ...args, '--output', 'c.jsonl'],
      dir,
    );
    expect([fresh.code, fromStore.code, fromVersion.code]).toEqual([0, 0, 0]);
    expect(readJsonl(join(dir, 'b.jsonl'))).toEqual(readJsonl(join(dir, 'a.jsonl')));
    expect(readJsonl(join(dir, 'c.jsonl'))).toEqual(readJsonl(join(dir, 'a.jsonl')));
    expect(fromStore.stdout).toContain(`als from ${resolve(dir, 'models', t.version)}`);
  });

  it('refuses a corrupt artifact with exit 1 naming the file, and --model alongside --artifact with exit 2', async () => {
    const train = await runInProcess(
      [
        'train',
        '--interactions',
        'listens.csv',
        '--model',
        'item-knn',
        '--out',
        'knn',
        '--version',
        'v1',
        '--activate',
      ],
      dir,
    );
    expect(train.code).toBe(0);
    expect(train.stdout).toContain(`Published version v1 to ${join(dir, 'knn')} (active)`);
    const blobs = join(dir, 'knn/v1/blobs');
    const victim = readdirSync(blobs).find((f) => f.startsWith('neighbours')) ?? readdirSync(blobs)[0];
    const bytes = readFileSync(join(blobs, victim));
    bytes[0] ^= 0xff;
    writeFileSync(join(blobs, victim), bytes);
    const run = await runInProcess(['recommend', '--artifact', 'knn', '--all-users', '--output', 'x.jsonl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`model artifact ${join(dir, 'knn/v1')} is unusable: blobs/${victim} has sha256`);
    const mixed = await runInProcess(['recommend', '--artifact', 'knn', '--all-users', '--model', 'als'], dir);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--model cannot be combined with --artifact');
  });

  it('exits 1 for a model directory without an active version, listing the versions', async () => {
    await runInProcess(
      ['train', '--interactions', 'listens.csv', '--model', 'popularity', '--out', 'idle', '--version', 'p1'],
      dir,
    );
    const run = await runInProcess(['recommend', '--artifact', 'idle', '--user', 'u1'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no active model version (versions: p1); run "train --activate"');
    const again = await runInProcess(
      ['train', '--interactions', 'listens.csv', '--model', 'popularity', '--out', 'idle', '--version', 'p1'],
      dir,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('model version "p1" already exists');
  });
});

describe('encore recommend on MovieLens 100K', () => {
  const DATA = resolve(__dirname, '../../../../../shared/data/ml-100k/u.data');

  it('reads the raw u.data (detected), fits the best known model and lists every user', async () => {
    const dir = tempFiles({});
    const run = await runInProcess(
      ['recommend', '--interactions', DATA, '--all-users', '--output', 'ml.jsonl', '--json'],
      dir,
    );
    expect(run.stderr).toContain(`reading ${DATA} as movielens-100k (detected)`);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ model: 'best-movielens', users: 943, items: 1682 });
    const lines = readJsonl(join(dir, 'ml.jsonl'));
    expect(lines).toHaveLength(943);
    const seen = new Map<string, Set<string>>();
    for (const row of readFileSync(DATA, 'utf8').trimEnd().split('\n')) {
      const [u, i] = row.split('\t');
      if (!seen.has(u)) seen.set(u, new Set());
      seen.get(u)?.add(i);
    }
    for (const { user, items } of lines) {
      expect(items).toHaveLength(10);
      expect(items.some((i) => seen.get(user)?.has(i))).toBe(false);
    }
  }, 60_000);
});
