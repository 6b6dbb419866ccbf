import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, validateEnvironment } from './environment';

describe('model settings', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'encore-model-env-'));
    writeFileSync(join(root, 'catalog.csv'), 'track_id\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const validate = (raw: Record<string, string>) =>
    validateEnvironment({ CATALOG_PATH: 'catalog.csv', ...raw }, { cwd: root });

  it('keeps models under ENCORE_DATA_DIR and polls ACTIVE every 30 s by default', () => {
    expect(validate({})).toMatchObject({ ARTIFACT_DIR: join(root, 'var', 'models'), MODEL_POLL_SECONDS: 30 });
    expect(validate({ ENCORE_DATA_DIR: '/srv/encore' }).ARTIFACT_DIR).toBe('/srv/encore/models');
  });

  it('resolves ARTIFACT_DIR against the working directory and reads MODEL_POLL_SECONDS (0 turns polling off)', () => {
    expect(validate({ ARTIFACT_DIR: 'shared/models', MODEL_POLL_SECONDS: '0' })).toMatchObject({
      ARTIFACT_DIR: join(root, 'shared/models'),
      MODEL_POLL_SECONDS: 0,
    });
    expect(validate({ ARTIFACT_DIR: '/mnt/models' }).ARTIFACT_DIR).toBe('/mnt/models');
  });

  it.each(['-1', '86401', '1.5', 'often'])('rejects MODEL_POLL_SECONDS=%s', (value) => {
    expect(() => validate({ MODEL_POLL_SECONDS: value })).toThrow(ConfigurationError);
    try {
      validate({ MODEL_POLL_SECONDS: value });
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        `MODEL_POLL_SECONDS must be an integer between 0 and 86400 (got ${JSON.stringify(/^-?\d+$/.test(value) ? Number(value) : value)})`,
      ]);
    }
  });

  it('runs training ALS on two threads by default (one on a one-core machine), or as many as TRAINING_THREADS says', () => {
    expect(validate({}).TRAINING_THREADS).toBe(Math.min(2, availableParallelism()));
    expect(validate({ TRAINING_THREADS: '1' }).TRAINING_THREADS).toBe(1);
    expect(validate({ TRAINING_THREADS: '8' }).TRAINING_THREADS).toBe(8);
  });

  it.each(['0', '65', '1.5', 'many'])('rejects TRAINING_THREADS=%s', (value) => {
    expect(() => validate({ TRAINING_THREADS: value })).toThrow(/TRAINING_THREADS must be an integer between 1 and 64/);
  });

  it('keeps models in the local directory by default; ARTIFACT_STORE=s3 reads the bucket, prefix, key and endpoint', () => {
    expect(validate({})).toMatchObject({ ARTIFACT_STORE: 'local', ARTIFACT_S3_PREFIX: 'models/' });
    expect(
      validate({
        ARTIFACT_STORE: 's3',
        ARTIFACT_S3_BUCKET: 'encore-models',
        ARTIFACT_S3_PREFIX: 'prod/encore',
        ARTIFACT_S3_KMS_KEY_ID: 'alias/encore-models',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        AWS_REGION: 'eu-west-1',
      }),
    ).toMatchObject({
      ARTIFACT_STORE: 's3',
      ARTIFACT_S3_BUCKET: 'encore-models',
      ARTIFACT_S3_PREFIX: 'prod/encore',
      ARTIFACT_S3_KMS_KEY_ID: 'alias/encore-models',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      AWS_REGION: 'eu-west-1',
    });
  });

  it.each<[Record<string, string>, string]>([
    [{ ARTIFACT_STORE: 's3' }, 'ARTIFACT_S3_BUCKET is required when ARTIFACT_STORE=s3 (got undefined)'],
    [
      { ARTIFACT_STORE: 's3', ARTIFACT_S3_BUCKET: 'Encore_Models' },
      'ARTIFACT_S3_BUCKET must be an S3 bucket name (3–63 lower-case letters, digits, "." or "-") (got "Encore_Models")',
    ],
    [{ ARTIFACT_STORE: 'gcs' }, 'ARTIFACT_STORE must be one of local, s3 (got "gcs")'],
    [
      { ARTIFACT_STORE: 's3', ARTIFACT_S3_BUCKET: 'encore', ARTIFACT_S3_PREFIX: '../up' },
      'ARTIFACT_S3_PREFIX must be a key prefix such as models/ or team/encore/models/ (got "../up")',
    ],
    [{ S3_ENDPOINT: 'localhost:9000' }, 'S3_ENDPOINT must be an http:// or https:// URL (got "localhost:9000")'],
    [{ AWS_REGION: 'Europe' }, 'AWS_REGION must be an AWS region such as eu-west-1 (got "Europe")'],
  ])('stops start-up naming the bad artifact store setting: %j', (raw, problem) => {
    expect(() => validate(raw)).toThrow(ConfigurationError);
    try {
      validate(raw);
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([problem]);
    }
  });
});
