import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody, ModelListDto, TrainingJobDto } from '@encore/api-contract';
import { ArtifactStore, S3ArtifactStore } from '@encore/artifact-store';
import { rewriteS3Object, S3RVER_CREDENTIALS, startLocalS3, type LocalS3 } from '@encore/artifact-store/testing';
import { InteractionStore, type StoredInteraction } from '@encore/interaction-store';
import { EngineRecommenderProvider } from '@encore/provider-engine';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import request from 'supertest';
import { signIn, type SignedInUser } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';
import { ModelsService } from './models/models.service';
import { InProcessTrainingRunner, TrainingRunner } from './models/training-runner';

const ADMIN = { username: 'boss', password: 'boss-password-1' };
const PREFIX = 'api/models/';
jest.setTimeout(60_000);

/** Three listeners over the fixture songs: enough for a held-out split. */
function history(): StoredInteraction[] {
  const tastes: Record<string, string[]> = {
    'fan-1': ['t1', 't3', 't11', 't4'],
    'fan-2': ['t2', 't4', 't5', 't6'],
    'fan-3': ['t9', 't10', 't1', 't3'],
  };
  const start = Date.UTC(2026, 0, 1);
  return Object.entries(tastes).flatMap(([userId, songs], u) =>
    songs.map((songId, i) => ({ userId, songId, event: 'play', weight: 1, timestamp: start + u * 10 + i })),
  );
}

/**
 * Two API replicas with ARTIFACT_STORE=s3 against a real S3-compatible server (s3rver on loopback):
 * the store the config picks, training, activation through active.json, refusal of a tampered
 * version, and a replica following an activation by polling. Credentials come from the SDK's
 * default chain, as in production (here: environment variables set for this file).
 */
describe('models in an S3 artifact store (s3rver)', () => {
  const fixture = writeFixtureCatalog();
  let s3: LocalS3;
  let a: INestApplication;
  let b: INestApplication | null = null;
  let admin: SignedInUser;
  const savedEnv = { ...process.env };

  const env = () => ({
    ENCORE_ADMIN_USER: ADMIN.username,
    ENCORE_ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_PER_MINUTE: '100000',
    MODEL_POLL_SECONDS: '0',
    CATALOG_PATH: fixture.path,
    ARTIFACT_STORE: 's3',
    ARTIFACT_S3_BUCKET: s3.bucket,
    ARTIFACT_S3_PREFIX: PREFIX,
    S3_ENDPOINT: s3.endpoint,
  });

  beforeAll(async () => {
    s3 = await startLocalS3();
    process.env['AWS_ACCESS_KEY_ID'] = S3RVER_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = S3RVER_CREDENTIALS.secretAccessKey;
    // Jobs train on the API thread here: a worker thread would not see this file's credentials.
    a = await startTestApp({
      env: env(),
      overrides: [{ provide: TrainingRunner, useValue: new InProcessTrainingRunner() }],
    });
    admin = await signIn(a.getHttpServer(), ADMIN.username, ADMIN.password);
    await a.get(InteractionStore).appendInteractions(history());
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await s3?.close();
    fixture.remove();
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
  });

  const objectText = async (key: string) => {
    const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return (out.Body as { transformToString(): Promise<string> }).transformToString();
  };
  const activeObject = async () => JSON.parse(await objectText(`${PREFIX}active.json`)) as { version: string };
  const models = async (): Promise<ModelListDto> =>
    (await request(a.getHttpServer()).get('/v1/models').set('authorization', admin.auth).expect(200)).body;
  const served = (app: INestApplication) => app.get(EngineRecommenderProvider).model?.version;

  async function train(body: object): Promise<TrainingJobDto> {
    const res = await request(a.getHttpServer())
      .post('/v1/models/train')
      .set('authorization', admin.auth)
      .send(body)
      .expect(202);
    for (;;) {
      const job = (
        await request(a.getHttpServer()).get(`/v1/jobs/${res.body.jobId}`).set('authorization', admin.auth).expect(200)
      ).body as TrainingJobDto;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('uses the S3 store the configuration names, and saved the start-up model there as the active one', async () => {
    const store = a.get(ArtifactStore);
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect((store as S3ArtifactStore).url).toBe(`s3://${s3.bucket}/${PREFIX}`);
    const list = await models();
    expect(list.active).toMatch(/^engine-/);
    expect(list.served).toEqual({ version: list.active, loadedFrom: 'training' });
    expect((await activeObject()).version).toBe(list.active);
    const keys = (await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: PREFIX }))).Contents?.map(
      (o) => o.Key,
    );
    expect(keys).toContain(`${PREFIX}${list.active}/manifest.json`);
    expect(keys?.filter((k) => k?.startsWith(`${PREFIX}${list.active}/blobs/`)).length).toBeGreaterThan(3);
  });

  it('trains and publishes to S3, activates through active.json and serves the new version', async () => {
    const initial = (await models()).active;
    const job = await train({ params: { als: { factors: 4 } } });
    expect(job).toMatchObject({ status: 'succeeded', activated: false });
    const list = await models();
    expect(list.items.map((i) => i.version)).toEqual([job.version, initial]);
    expect(list.items[0].metrics['evaluatedUsers']).toBe(3);
    expect(list.active).toBe(initial);

    const res = await request(a.getHttpServer())
      .post(`/v1/models/${job.version}/activate`)
      .set('authorization', admin.auth)
      .expect(200);
    expect(res.body).toEqual({ active: job.version, previous: initial });
    expect((await activeObject()).version).toBe(job.version);
    const recs = await request(a.getHttpServer())
      .get('/v1/users/fan-1/recommendations?k=3')
      .set('authorization', admin.auth)
      .expect(200);
    expect(recs.body.modelVersion).toBe(job.version);
    for (const item of recs.body.items) expect(['t1', 't3', 't11', 't4']).not.toContain(item.id);
  });

  it('refuses a version whose blob was altered in the bucket with 422, keeping active.json and the served model', async () => {
    const job = await train({ params: { candidates: 30 } });
    const version = job.version as string;
    await rewriteS3Object(s3, `${PREFIX}${version}/blobs/als.itemFactors.bin`, (bytes) => {
      const copy = bytes.slice();
      copy[0] ^= 0x40;
      return copy;
    });
    const before = (await models()).active;
    const res = await request(a.getHttpServer())
      .post(`/v1/models/${version}/activate`)
      .set('authorization', admin.auth)
      .expect(422);
    expect((res.body as ApiErrorBody).message).toMatch(
      new RegExp(`^model version ${version} is corrupt: blobs/als\\.itemFactors\\.bin has sha256 [0-9a-f]{64}`),
    );
    expect((await activeObject()).version).toBe(before);
    expect(served(a)).toBe(before);
  });

  it('starts another replica from the active S3 version and follows an activation made on the first', async () => {
    b = await startTestApp({ env: env(), logger: false });
    expect(b.get(EngineRecommenderProvider).loadedFrom).toBe('artifact');
    expect(served(b)).toBe(served(a));

    const job = await train({ activate: true, params: { candidates: 40 } });
    expect(job).toMatchObject({ status: 'succeeded', activated: true });
    expect(served(a)).toBe(job.version);
    // What the MODEL_POLL_SECONDS timer runs: re-read active.json and swap.
    await b.get(ModelsService).followActive();
    expect(served(b)).toBe(job.version);
  });
});
