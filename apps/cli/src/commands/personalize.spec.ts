import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA } from '@encore/personalize-sync';
import { FAKE_ROLE_ARN, FakePersonalizeAws } from '@encore/personalize-sync/testing';
import { runInProcess } from '../testing/engine-fixtures';
import { SMALL_CATALOG_CSV, tempFiles } from '../testing/memory-io';
import type { PersonalizeExportResult, PersonalizeSyncCommandResult } from '../personalize/personalize-actions';

const LISTENS = [
  'user_id,item_id,event,weight,timestamp',
  'u1,a,play,1,1700000000000',
  'u1,b,like,4,1700000001000',
  'u2,a,skip,-1,1700000002000',
  'u2,e,play,1,1700000003000',
  '',
].join('\n');

// The exports read the sample catalog from disk: seconds of work on a loaded machine.
jest.setTimeout(60_000);

const SYNC_ARGS = ['--bucket', 'encore-data', '--role-arn', FAKE_ROLE_ARN, '--name', 'encore', '--region', 'eu-west-1'];

describe('encore personalize', () => {
  const dir = tempFiles({ 'catalog.csv': SMALL_CATALOG_CSV, 'listens.csv': LISTENS });

  it('exports the catalog and an interactions file as Personalize CSVs, schemas and a report', async () => {
    const run = await runInProcess(
      ['personalize', 'export', '--catalog', 'catalog.csv', '--interactions', 'listens.csv', '--out', 'out', '--json'],
      dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<PersonalizeExportResult>();
    const out = join(dir, 'out');
    expect(r).toMatchObject({
      action: 'export',
      out,
      catalog: join(dir, 'catalog.csv'),
      interactions: join(dir, 'listens.csv'),
    });
    expect(r.files.map((f) => f.csv)).toEqual(['interactions.csv', 'items.csv', 'users.csv'].map((f) => join(out, f)));
    expect(readFileSync(join(out, 'interactions.csv'), 'utf8')).toBe(
      [
        'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
        'u1,a,1700000000,play,1',
        'u1,b,1700000001,like,4',
        'u2,e,1700000003,play,1',
        '',
      ].join('\n'),
    );
    const items = readFileSync(join(out, 'items.csv'), 'utf8').trimEnd().split('\n');
    expect(items[0]).toBe(ITEMS_SCHEMA.fields.map((f) => f.name).join(','));
    // Song a was listed under rock and again under indie (merged by ingest); b's name has a line break.
    expect(items.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'a,rock|indie,Ann|Bo',
      'b,pop,Ann|Bo',
      'e,pop,Ann|Bo',
    ]);
    expect(readFileSync(join(out, 'users.csv'), 'utf8')).toBe('USER_ID,TOP_GENRES\nu1,pop|rock|indie\nu2,pop\n');
    for (const [file, schema] of [
      ['interactions.schema.json', INTERACTIONS_SCHEMA],
      ['items.schema.json', ITEMS_SCHEMA],
      ['users.schema.json', USERS_SCHEMA],
    ] as const) {
      expect(JSON.parse(readFileSync(join(out, file), 'utf8'))).toEqual(schema);
    }
    expect(JSON.parse(readFileSync(join(out, 'export-report.json'), 'utf8'))).toEqual(r.report);
    expect(r.report.interactions).toMatchObject({ rows: 3, users: 2, negativeSkipped: 1 });
    // Far too little data for Personalize: said on stderr, in the report, and the export still succeeds.
    expect(run.stderr).toContain('warning: only 3 interactions: Personalize needs at least 1,000');
    expect(r.report.warnings).toContain('only 1 users with 2 or more interactions: Personalize needs at least 25');
  });

  it('defaults to the sample catalog and simulated listeners', async () => {
    const run = await runInProcess(['personalize', 'export', '--out', 'sim', '--users', '30', '--seed', '7'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Exported [\d,]+ interactions \(30 users, [\d,]+ songs; left out [\d,]+ skips\/dislikes\), 4,708 items and 30 users to /,
    );
    expect(run.stdout).toContain(
      `Next: encore personalize sync --dir ${join(dir, 'sim')} --bucket B --role-arn ARN --name NAME`,
    );
    const report = JSON.parse(readFileSync(join(dir, 'sim', 'export-report.json'), 'utf8'));
    expect(report.warnings).toEqual([]);
  });

  it('syncs an export into Personalize and prints the API environment; a re-run reuses everything', async () => {
    const exported = await runInProcess(
      ['personalize', 'export', '--out', 'to-sync', '--users', '30', '--seed', '3'],
      dir,
    );
    expect(exported.code).toBe(0);
    const fake = FakePersonalizeAws.forAllClients({ pollsUntilActive: 0 });
    try {
      const run = await runInProcess(
        ['personalize', 'sync', '--dir', 'to-sync', '--prefix', 'demo/', ...SYNC_ARGS, '--json'],
        dir,
      );
      expect(run.stderr).toContain('[21/21] filter encore-genres: created');
      expect(run.code).toBe(0);
      const r = run.json<PersonalizeSyncCommandResult>();
      expect(r).toMatchObject({ action: 'sync', dir: join(dir, 'to-sync'), region: 'eu-west-1' });
      expect(r.envLines).toEqual([
        'RECOMMENDER_PROVIDER=personalize',
        'PERSONALIZE_REGION=eu-west-1',
        'PERSONALIZE_USER_CAMPAIGN_ARN=arn:aws:personalize:eu-west-1:123456789012:campaign/encore-user',
        'PERSONALIZE_SIMILAR_CAMPAIGN_ARN=arn:aws:personalize:eu-west-1:123456789012:campaign/encore-similar',
        `PERSONALIZE_TRACKING_ID=${r.trackingId}`,
        'PERSONALIZE_FILTER_ARN=arn:aws:personalize:eu-west-1:123456789012:filter/encore-genres',
      ]);
      const uploaded = fake.objects.get('encore-data/demo/interactions.csv');
      expect(Buffer.from(uploaded?.body ?? []).toString('utf8')).toBe(
        readFileSync(join(dir, 'to-sync', 'interactions.csv'), 'utf8'),
      );
      const before = fake.calls.length;

      const again = await runInProcess(
        ['personalize', 'sync', '--dir', 'to-sync', '--prefix', 'demo/', ...SYNC_ARGS],
        dir,
      );
      expect(again.code).toBe(0);
      expect(fake.calls.slice(before).filter((c) => !/^(List|Describe|Head)/.test(c))).toEqual([]);
      expect(again.stdout).toContain("The API's environment for this dataset group:\n" + r.envLines.join('\n'));
      expect(again.stdout).toMatch(
        /campaign\s+encore-user\s+reused\s+arn:aws:personalize:eu-west-1:123456789012:campaign\/encore-user/,
      );
    } finally {
      fake.restore();
    }
  });

  it('reports a failed import job with its reason and exits 1', async () => {
    await runInProcess(['personalize', 'export', '--out', 'failing', '--users', '30'], dir);
    const fake = FakePersonalizeAws.forAllClients({ pollsUntilActive: 0 });
    fake.fail('encore-interactions-', 'Insufficient privileges for accessing data in S3');
    try {
      const run = await runInProcess(['personalize', 'sync', '--dir', 'failing', ...SYNC_ARGS], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /encore personalize: import job encore-interactions-[0-9a-f]{8} is CREATE FAILED: Insufficient privileges for accessing data in S3\n$/,
      );
    } finally {
      fake.restore();
    }
  });

  it('rejects bad usage with exit 2 and names the problem', async () => {
    const cases: [string[], string][] = [
      [['personalize'], 'missing ACTION'],
      [['personalize', 'publish'], 'unknown action "publish"; actions: export, sync'],
      [['personalize', 'export', '--out', 'x', '--bucket', 'b'], '--bucket applies to "personalize sync" only'],
      [['personalize', 'sync', '--dir', 'x', '--out', 'y'], '--out applies to "personalize export" only'],
      [['personalize', 'export'], 'missing --out DIR'],
      [['personalize', 'export', '--out', 'x', '--interactions', 'listens.csv', '--users', '3'], '--users and --seed'],
      [
        ['personalize', 'sync', '--dir', 'x', '--bucket', 'b', '--role-arn', FAKE_ROLE_ARN, '--name', 'n'],
        'missing --region R (or set AWS_REGION)',
      ],
      [
        ['personalize', 'sync', '--dir', 'x', ...SYNC_ARGS, '--endpoint', 'localhost:4566'],
        '--endpoint must be an http:// or https:// URL',
      ],
    ];
    for (const [argv, message] of cases) {
      const run = await runInProcess(argv, dir);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.stderr).toContain(message);
    }
  });

  it('checks names against Personalize rules before calling AWS', async () => {
    await runInProcess(['personalize', 'export', '--out', 'checked', '--users', '30'], dir);
    const run = await runInProcess(
      ['personalize', 'sync', '--dir', 'checked', ...SYNC_ARGS, '--name', 'my dataset', '--role-arn', 'admin'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('name "my dataset" must be 1-36 letters');
    expect(run.stderr).toContain('role ARN "admin" must look like arn:aws:iam::123456789012:role/PersonalizeS3Access');
  });

  it('fails with exit 1 when the directory holds no export', async () => {
    const run = await runInProcess(['personalize', 'sync', '--dir', 'nowhere', ...SYNC_ARGS], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(dir, 'nowhere')} has no interactions.csv: run "encore personalize export`);
  });

  it('lists both actions in its help', async () => {
    const run = await runInProcess(['personalize', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('encore personalize export --out DIR');
    expect(run.stdout).toContain('encore personalize sync --dir DIR --bucket B --role-arn ARN --name NAME');
    expect(run.stdout).toContain('--role-arn ARN');
  });
});
