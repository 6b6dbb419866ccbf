import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { rewriteS3Object, S3RVER_CREDENTIALS, startLocalS3, type LocalS3 } from '@encore/artifact-store/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainResult } from '../commands/train';
import { LISTENERS_CSV, runInProcess } from '../testing/engine-fixtures';
import { tempFiles } from '../testing/memory-io';

/**
 * `encore train --out s3://…` and `encore recommend --artifact s3://…` against a real S3-compatible
 * server (s3rver on loopback). S3_ENDPOINT comes through the CLI's environment like the API's;
 * credentials through the SDK's default chain (environment variables set for this file).
 */
describe('encore train / recommend with an S3 model store (s3rver)', () => {
  const dir = tempFiles({ 'listens.csv': LISTENERS_CSV });
  const saved = { ...process.env };
  let s3: LocalS3;
  let env: Record<string, string>;

  beforeAll(async () => {
    s3 = await startLocalS3('encore-cli');
    env = { S3_ENDPOINT: s3.endpoint };
    process.env['AWS_ACCESS_KEY_ID'] = S3RVER_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = S3RVER_CREDENTIALS.secretAccessKey;
  });
  afterAll(async () => {
    await s3.close();
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
  });

  const readJsonl = (file: string) => readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
  const run = (argv: string[]) => runInProcess(argv, dir, env);

  it('publishes to a bucket prefix and recommends from its active version or one named version', async () => {
    const train = await run([
      ...['train', '--interactions', 'listens.csv', '--model', 'als', '--param', 'factors=4,iterations=5'],
      ...['--out', 's3://encore-cli/team/models', '--activate', '--json'],
    ]);
    expect(train.code).toBe(0);
    expect(train.stderr).toContain('to s3://encore-cli/team/models/ (active)');
    const t = train.json<TrainResult>();
    expect(t).toMatchObject({ store: 's3://encore-cli/team/models/', active: true });
    const keys = (
      await s3.client.send(new ListObjectsV2Command({ Bucket: 'encore-cli', Prefix: 'team/models/' }))
    ).Contents?.map((o) => o.Key);
    expect(keys).toEqual(expect.arrayContaining(['team/models/active.json', `team/models/${t.version}/manifest.json`]));

    const args = ['--all-users', '--k', '4'];
    const fresh = await run([
      ...['recommend', '--interactions', 'listens.csv', '--model', 'als', '--param', 'factors=4,iterations=5'],
      ...args,
      ...['--output', 'fresh.jsonl'],
    ]);
    const fromStore = await run([
      'recommend',
      '--artifact',
      's3://encore-cli/team/models',
      ...args,
      '--output',
      's.jsonl',
    ]);
    const fromVersion = await run([
      ...['recommend', '--artifact', `s3://encore-cli/team/models/${t.version}`],
      ...[...args, '--output', 'v.jsonl'],
    ]);
    expect([fresh.code, fromStore.code, fromVersion.code]).toEqual([0, 0, 0]);
    expect(readJsonl('s.jsonl')).toEqual(readJsonl('fresh.jsonl'));
    expect(readJsonl('v.jsonl')).toEqual(readJsonl('fresh.jsonl'));
    expect(fromStore.stdout).toContain(`als from s3://encore-cli/team/models/${t.version}`);
    expect(fromVersion.stdout).toContain(`als from s3://encore-cli/team/models/${t.version};`);
  });

  it('exits 1 naming an altered manifest, and for a prefix with no active version', async () => {
    const train = await run([
      ...['train', '--interactions', 'listens.csv', '--model', 'popularity'],
      ...['--out', 's3://encore-cli/pop', '--version', 'p1', '--activate'],
    ]);
    expect(train.code).toBe(0);
    expect(train.stdout).toContain('Published version p1 to s3://encore-cli/pop/ (active)');
    await rewriteS3Object(s3, 'pop/p1/manifest.json', (bytes) => bytes.subarray(0, 10));
    const corrupt = await run(['recommend', '--artifact', 's3://encore-cli/pop', '--user', 'u1']);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(
      'model artifact s3://encore-cli/pop/p1 is unusable: manifest.json is not valid JSON',
    );

    const idle = await run(['recommend', '--artifact', 's3://encore-cli/empty', '--user', 'u1']);
    expect(idle.code).toBe(1);
    expect(idle.stderr).toContain('s3://encore-cli/empty/ has no active model version (no versions)');
  });

  it('exits 2 for a malformed s3:// URL or S3_ENDPOINT, before reading any data', async () => {
    const bucket = await run(['train', '--interactions', 'listens.csv', '--out', 's3://Not_A_Bucket/x']);
    expect(bucket.code).toBe(2);
    expect(bucket.stderr).toContain('--out s3://Not_A_Bucket/x: "Not_A_Bucket" is not an S3 bucket name');
    const endpoint = await runInProcess(['recommend', '--artifact', 's3://encore-cli/x', '--user', 'u1'], dir, {
      S3_ENDPOINT: 'localhost:9000',
    });
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toContain('S3_ENDPOINT must be an http:// or https:// URL (got "localhost:9000")');
  });
});
