import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import { datasetUpload, FAKE_ROLE_ARN, FakePersonalizeAws, instantClock } from '../testing';
import type { DatasetUpload } from './export-directory';
import { GENRE_FILTER_EXPRESSION, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA } from './personalize-schemas';
import {
  normalisePrefix,
  PersonalizeSync,
  type PersonalizeSyncPlan,
  PersonalizeSyncError,
  SIMILAR_ITEMS_RECIPE,
  type SyncProgress,
  USER_PERSONALIZATION_RECIPE,
} from './personalize-sync';

const INTERACTIONS_CSV = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,s1,1700000000,play,1\n';
const ITEMS_CSV = 'ITEM_ID,GENRES\ns1,rock\n';
const USERS_CSV = 'USER_ID,TOP_GENRES\nu1,rock\n';

function uploads(interactions = INTERACTIONS_CSV): DatasetUpload[] {
  return [
    datasetUpload('INTERACTIONS', interactions, INTERACTIONS_SCHEMA),
    datasetUpload('ITEMS', ITEMS_CSV, ITEMS_SCHEMA),
    datasetUpload('USERS', USERS_CSV, USERS_SCHEMA),
  ];
}

function plan(overrides: Partial<PersonalizeSyncPlan> = {}): PersonalizeSyncPlan {
  return {
    name: 'encore',
    bucket: 'encore-data',
    prefix: 'personalize',
    roleArn: FAKE_ROLE_ARN,
    region: 'eu-west-1',
    datasets: uploads(),
    ...overrides,
  };
}

/** The API's check of a Personalize ARN (apps/api/src/config/recommender-settings.ts). */
const API_ARN = /^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:[a-z-]+\/\S+$/;

function setup(options: { pollsUntilActive?: number; maxWaitMs?: number; maxAttempts?: number } = {}) {
  const personalize = new PersonalizeClient({ region: 'eu-west-1' });
  const s3 = new S3Client({ region: 'eu-west-1' });
  const fake = FakePersonalizeAws.forClients(personalize, s3, { pollsUntilActive: options.pollsUntilActive });
  const clock = instantClock();
  const progress: SyncProgress[] = [];
  const sync = new PersonalizeSync({
    personalize,
    s3,
    clock,
    polling: { maxWaitMs: options.maxWaitMs ?? 6 * 3600_000 },
    retry: { maxAttempts: options.maxAttempts ?? 8 },
    onProgress: (p) => progress.push(p),
  });
  return { fake, clock, progress, sync };
}

function inputsOf(fake: FakePersonalizeAws, op: string) {
  return fake.inputs.filter((i) => i.op === op).map((i) => i.input);
}

describe('PersonalizeSync', () => {
  it('builds the whole dataset group in order, each resource looked up before it is created', async () => {
    const { fake, clock, progress, sync } = setup();
    const data = uploads();
    const result = await sync.run(plan({ datasets: data }));

    expect(fake.mutations()).toEqual([
      'PutObject',
      'PutObject',
      'PutObject',
      'CreateDatasetGroup',
      'CreateSchema',
      'CreateSchema',
      'CreateSchema',
      'CreateDataset',
      'CreateDataset',
      'CreateDataset',
      'CreateDatasetImportJob',
      'CreateDatasetImportJob',
      'CreateDatasetImportJob',
      'CreateSolution',
      'CreateSolution',
      'CreateSolutionVersion',
      'CreateSolutionVersion',
      'CreateCampaign',
      'CreateCampaign',
      'CreateEventTracker',
      'CreateFilter',
    ]);
    // Look before creating: every Create follows a List of its kind (uploads follow a HeadObject).
    for (const [i, call] of fake.calls.entries()) {
      if (call === 'PutObject') expect(fake.calls.slice(0, i)).toContain('HeadObject');
      const kind = /^Create(.+)$/.exec(call)?.[1];
      if (kind) expect(fake.calls.slice(0, i)).toContain(`List${kind}s`);
    }

    const [interactions] = data;
    expect(fake.objects.get('encore-data/personalize/interactions.csv')).toEqual({
      body: new TextEncoder().encode(INTERACTIONS_CSV),
      metadata: { sha256: interactions.sha256 },
    });
    expect(inputsOf(fake, 'CreateSchema')).toEqual([
      { name: 'encore-interactions', schema: interactions.schema },
      { name: 'encore-items', schema: data[1].schema },
      { name: 'encore-users', schema: data[2].schema },
    ]);
    expect(inputsOf(fake, 'CreateDataset').map((i) => [i['name'], i['datasetType']])).toEqual([
      ['encore-interactions', 'INTERACTIONS'],
      ['encore-items', 'ITEMS'],
      ['encore-users', 'USERS'],
    ]);
    expect(inputsOf(fake, 'CreateDatasetImportJob')[0]).toMatchObject({
      jobName: `encore-interactions-${interactions.sha256.slice(0, 8)}`,
      dataSource: { dataLocation: 's3://encore-data/personalize/interactions.csv' },
      roleArn: FAKE_ROLE_ARN,
      importMode: 'FULL',
    });
    expect(inputsOf(fake, 'CreateSolution')).toEqual([
      expect.objectContaining({
        name: 'encore-user',
        recipeArn: USER_PERSONALIZATION_RECIPE,
        performAutoTraining: false,
      }),
      expect.objectContaining({ name: 'encore-similar', recipeArn: SIMILAR_ITEMS_RECIPE, performAutoTraining: false }),
    ]);
    expect(inputsOf(fake, 'CreateSolutionVersion')).toEqual([
      expect.objectContaining({ trainingMode: 'FULL' }),
      expect.objectContaining({ trainingMode: 'FULL' }),
    ]);
    const versions = result.resources.filter((r) => r.kind === 'solution-version').map((r) => r.arn);
    expect(inputsOf(fake, 'CreateCampaign')).toEqual([
      { name: 'encore-user', solutionVersionArn: versions[0], minProvisionedTPS: 1 },
      { name: 'encore-similar', solutionVersionArn: versions[1], minProvisionedTPS: 1 },
    ]);
    expect(inputsOf(fake, 'CreateFilter')[0]).toMatchObject({
      name: 'encore-genres',
      filterExpression: GENRE_FILTER_EXPRESSION,
    });
    // Training started only once every import was ACTIVE.
    const firstTraining = fake.calls.indexOf('CreateSolutionVersion');
    expect(fake.calls.lastIndexOf('DescribeDatasetImportJob')).toBeLessThan(firstTraining);

    expect(result.resources.every((r) => r.action === 'created' || r.action === 'uploaded')).toBe(true);
    expect(result.envLines).toEqual([
      'RECOMMENDER_PROVIDER=personalize',
      'PERSONALIZE_REGION=eu-west-1',
      `PERSONALIZE_USER_CAMPAIGN_ARN=${result.userCampaignArn}`,
      `PERSONALIZE_SIMILAR_CAMPAIGN_ARN=${result.similarCampaignArn}`,
      `PERSONALIZE_TRACKING_ID=${result.trackingId}`,
      `PERSONALIZE_FILTER_ARN=${result.filterArn}`,
    ]);
    for (const arn of [result.userCampaignArn, result.similarCampaignArn, result.filterArn])
      expect(arn).toMatch(API_ARN);
    expect(result.userCampaignArn).toContain(':campaign/encore-user');
    expect(result.trackingId).toMatch(/^[0-9a-f-]{20,}$/);

    // Each resource waited through CREATE IN_PROGRESS with backoff, and progress reached the end.
    expect(clock.sleeps.length).toBeGreaterThan(10);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(60_000);
    expect(
      progress.some((p) => /^waiting for import job encore-interactions-\w+: CREATE IN_PROGRESS/.test(p.message)),
    ).toBe(true);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ done: 21, total: 21, message: 'filter encore-genres: created' });
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
  });

  it('makes no Create, Update or Put call when run again on the same data', async () => {
    const { fake, sync } = setup();
    const first = await sync.run(plan());
    const before = fake.calls.length;
    const second = await sync.run(plan());
    const again = fake.calls.slice(before);
    expect(again.filter((c) => !/^(List|Describe|Head)/.test(c))).toEqual([]);
    expect(second.envLines).toEqual(first.envLines);
    expect(new Set(second.resources.map((r) => r.action))).toEqual(new Set(['unchanged', 'reused']));
    expect(fake.names('solution-version')).toHaveLength(2);
  });

  it('retrains and moves the campaigns to the new versions when the interactions change', async () => {
    const { fake, sync } = setup();
    const first = await sync.run(plan());
    const before = fake.calls.length;
    const changed = `${INTERACTIONS_CSV}u2,s1,1700000100,play,1\n`;
    const second = await sync.run(plan({ datasets: uploads(changed) }));
    expect(fake.calls.slice(before).filter((c) => /^(Create|Update|Put)/.test(c))).toEqual([
      'PutObject',
      'CreateDatasetImportJob',
      'CreateSolutionVersion',
      'CreateSolutionVersion',
      'UpdateCampaign',
      'UpdateCampaign',
    ]);
    expect(second.userCampaignArn).toBe(first.userCampaignArn);
    const actions = Object.fromEntries(second.resources.map((r) => [`${r.kind} ${r.name}`, r.action]));
    expect(actions).toMatchObject({
      'campaign encore-user': 'updated',
      'campaign encore-similar': 'updated',
      'object personalize/interactions.csv': 'uploaded',
      'object personalize/items.csv': 'unchanged',
    });
    const updates = inputsOf(fake, 'UpdateCampaign');
    const newVersions = second.resources.filter((r) => r.kind === 'solution-version').map((r) => r.arn);
    expect(updates.map((u) => u['solutionVersionArn'])).toEqual(newVersions);

    // Going back to the first file imports it again: the dataset holds the second file now.
    const beforeThird = fake.calls.length;
    await sync.run(plan());
    expect(fake.calls.slice(beforeThird).filter((c) => c === 'CreateDatasetImportJob')).toHaveLength(1);
    expect(fake.names('dataset-import-job').filter((n) => n.startsWith('encore-interactions-'))).toHaveLength(3);
  });

  it('uses the resource another creator made between its lookup and its create', async () => {
    const { fake, sync } = setup();
    const first = await sync.run(plan());
    const itemsJob = fake.names('dataset-import-job').find((n) => n.startsWith('encore-items-')) as string;
    fake.hideFromNextList('dataset-group', 'encore');
    fake.hideFromNextList('schema', 'encore-users');
    fake.hideFromNextList('dataset', 'encore-items');
    fake.hideFromNextList('dataset-import-job', itemsJob);
    fake.hideFromNextList('solution', 'encore-similar');
    fake.hideFromNextList('campaign', 'encore-user');
    fake.hideFromNextList('campaign', 'encore-similar');
    fake.hideFromNextList('event-tracker', 'encore-tracker');
    fake.hideFromNextList('filter', 'encore-genres');
    const before = fake.calls.length;
    const second = await sync.run(plan());
    // Each create lost the race (ResourceAlreadyExistsException) and the winner was found by name.
    expect(fake.calls.slice(before).filter((c) => /^(Create|Update|Put)/.test(c))).toEqual([
      'CreateDatasetGroup',
      'CreateSchema',
      'CreateDataset',
      'CreateDatasetImportJob',
      'CreateSolution',
      'CreateCampaign',
      'CreateCampaign',
      'CreateEventTracker',
      'CreateFilter',
    ]);
    expect(inputsOf(fake, 'CreateDatasetImportJob').at(-1)).toMatchObject({ jobName: itemsJob });
    expect(second.envLines).toEqual(first.envLines);
    expect(second.resources.filter((r) => r.action === 'created')).toEqual([]);
    expect(fake.names('schema')).toHaveLength(3);
    expect(fake.names('dataset-import-job')).toHaveLength(3);
    expect(fake.names('campaign')).toHaveLength(2);
  });

  it('retries throttled calls with backoff and carries on', async () => {
    const { fake, clock, progress, sync } = setup();
    fake.throttle('CreateDatasetGroup', 2);
    fake.throttle('ListSchemas', 1, 'TooManyRequestsException');
    fake.throttle('DescribeSolutionVersion', 3);
    fake.throttle('PutObject', 1, 'SlowDown');
    const result = await sync.run(plan());
    expect(result.envLines).toHaveLength(6);
    expect(fake.calls.filter((c) => c === 'CreateDatasetGroup')).toHaveLength(3);
    expect(fake.names('dataset-group')).toEqual(['encore']);
    const throttled = progress.filter((p) => p.message.includes('throttled'));
    expect(throttled.map((p) => p.message.replace(/ in [\d.]+ s$/, ''))).toEqual(
      expect.arrayContaining([
        'create dataset group encore: throttled (ThrottlingException), retry 1',
        'create dataset group encore: throttled (ThrottlingException), retry 2',
        'find schema encore-interactions: throttled (TooManyRequestsException), retry 1',
        'upload s3://encore-data/personalize/interactions.csv: throttled (SlowDown), retry 1',
      ]),
    );
    expect(throttled).toHaveLength(7);
    // The second retry waits longer than the first (random() is 0.5: half of 500 ms, then half of 1 s).
    expect(clock.sleeps).toEqual(expect.arrayContaining([250, 500]));
  });

  it('gives up on a call throttled more often than its attempts allow', async () => {
    const { fake, sync } = setup({ maxAttempts: 3 });
    fake.throttle('CreateSchema', 5);
    await expect(sync.run(plan())).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.calls.filter((c) => c === 'CreateSchema')).toHaveLength(3);
  });

  it('fails with the import job and Personalize’s reason, and a re-run starts a new job', async () => {
    const { fake, sync } = setup();
    const reason = 'Input CSV is missing the required column TIMESTAMP';
    fake.fail('encore-interactions-', reason);
    const error = await sync.run(plan()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonalizeSyncError);
    expect((error as Error).message).toMatch(
      new RegExp(`^import job encore-interactions-[0-9a-f]{8} is CREATE FAILED: ${reason}$`),
    );
    expect(fake.calls).not.toContain('CreateSolution');

    fake.heal('encore-interactions-');
    const before = fake.calls.length;
    await sync.run(plan());
    const jobs = inputsOf(fake, 'CreateDatasetImportJob').slice(3);
    expect(jobs.map((j) => j['jobName'])).toEqual([expect.stringMatching(/^encore-interactions-[0-9a-f]{8}-2$/)]);
    expect(fake.calls.slice(before)).toContain('CreateSolution');
  });

  it('stops waiting after maxWaitMs and says how to resume', async () => {
    const { fake, clock, sync } = setup({ maxWaitMs: 60 * 60_000 });
    fake.stall('encore-similar');
    await expect(sync.run(plan())).rejects.toThrow(
      'solution encore-similar is still CREATE IN_PROGRESS after 60 min (the limit); run the same sync again later to pick up where this one stopped',
    );
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(60 * 60_000);
    expect(fake.calls).not.toContain('CreateSolutionVersion');
  });

  it('refuses an existing schema with other fields', async () => {
    const { sync } = setup();
    await sync.run(plan());
    const other = { ...USERS_SCHEMA, fields: [...USERS_SCHEMA.fields, { name: 'AGE', type: 'int' as const }] };
    const datasets = [uploads()[0], uploads()[1], datasetUpload('USERS', 'USER_ID,TOP_GENRES,AGE\nu1,rock,3\n', other)];
    await expect(sync.run(plan({ datasets }))).rejects.toThrow(
      /^schema encore-users \(arn:aws:personalize:eu-west-1:123456789012:schema\/encore-users\) exists with other fields/,
    );
  });

  it('checks the plan before calling AWS', async () => {
    const { fake, sync } = setup();
    await expect(
      sync.run(plan({ name: 'bad name', roleArn: 'role', region: 'Europe', datasets: uploads().slice(2) })),
    ).rejects.toThrow(
      'name "bad name" must be 1-36 letters, digits, "-" or "_", starting with a letter or digit; ' +
        'role ARN "role" must look like arn:aws:iam::123456789012:role/PersonalizeS3Access; ' +
        'region "Europe" is not an AWS region; an INTERACTIONS dataset is required; the genre filter needs an ITEMS dataset',
    );
    expect(fake.calls).toEqual([]);
  });

  it('skips the filter on request and works with interactions alone', async () => {
    const { fake, sync } = setup({ pollsUntilActive: 0 });
    const result = await sync.run(plan({ datasets: uploads().slice(0, 1), filter: false, prefix: '' }));
    expect(result.filterArn).toBeNull();
    expect(result.env).not.toHaveProperty('PERSONALIZE_FILTER_ARN');
    expect(fake.calls).not.toContain('CreateFilter');
    expect([...fake.objects.keys()]).toEqual(['encore-data/interactions.csv']);
  });
});

describe('normalisePrefix', () => {
  it('gives "" or a prefix ending in one slash', () => {
    expect(normalisePrefix('')).toBe('');
    expect(normalisePrefix('a/b')).toBe('a/b/');
    expect(normalisePrefix('/a/')).toBe('a/');
  });
});
