import type { INestApplication } from '@nestjs/common';
import type {
  AdminStatsDto,
  ApiErrorBody,
  ModelListDto,
  RecommendationsDto,
  TrainingJobDto,
  TrainModelAccepted,
} from '@encore/api-contract';
import { ACTIVE_FILE, ArtifactStore } from '@encore/artifact-store';
import { InteractionStore, type StoredInteraction } from '@encore/interaction-store';
import { EngineRecommenderProvider, type EngineTrainingReport } from '@encore/provider-engine';
import { ResponseCache } from '@encore/response-cache';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { signIn, signUp, type SignedInUser } from './testing/accounts';
import { FIXTURE_CSV, writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp, temporaryDataDir } from './testing/test-app';
import { ModelsService } from './models/models.service';
import { InProcessTrainingRunner, TrainingRunner, WorkerTrainingRunner } from './models/training-runner';
import type { TrainingInput, TrainingOutput, TrainingProgress } from './models/training-task';

const ADMIN = { username: 'boss', password: 'boss-password-1' };
const BASE_ENV = {
  ENCORE_ADMIN_USER: ADMIN.username,
  ENCORE_ADMIN_PASSWORD: ADMIN.password,
  RATE_LIMIT_PER_MINUTE: '100000',
  MODEL_POLL_SECONDS: '0',
};
// Generous limits: apps start in well under a second, but CI machines are shared.
const JOB_TIMEOUT_MS = 60_000;
const APP_TIMEOUT_MS = 30_000;
jest.setTimeout(APP_TIMEOUT_MS);

/** Six listeners with tastes over the eleven fixture songs: enough for ALS, item-kNN and a held-out split. */
function listeningHistory(start = Date.UTC(2026, 0, 1)): StoredInteraction[] {
  const tastes: Record<string, string[]> = {
    'fan-1': ['t1', 't3', 't11', 't4'],
    'fan-2': ['t1', 't3', 't5', 't11'],
    'fan-3': ['t2', 't4', 't5', 't6'],
    'fan-4': ['t6', 't7', 't8', 't2'],
    'fan-5': ['t9', 't10', 't8', 't6'],
    'fan-6': ['t9', 't10', 't1', 't3'],
  };
  const rows: StoredInteraction[] = [];
  for (const [userId, songs] of Object.entries(tastes))
    songs.forEach((songId, i) =>
      rows.push({
        userId,
        songId,
        event: i === 0 ? 'like' : 'play',
        weight: i === 0 ? 4 : 1,
        timestamp: start + rows.length,
      }),
    );
  return rows;
}

/**
 * Runs jobs in-process (the worker path has its own suite below) with a script per job:
 * 'train' really trains and publishes, 'throw' fails, 'hold' waits until release() before training.
 */
class ScriptedRunner extends TrainingRunner {
  readonly plan: ('train' | 'throw' | 'hold')[] = [];
  private readonly real = new InProcessTrainingRunner();
  private gate: (() => void) | null = null;

  async run(input: TrainingInput, progress: TrainingProgress): Promise<TrainingOutput> {
    const step = this.plan.shift() ?? 'train';
    if (step === 'throw') throw new Error('simulated training crash');
    if (step === 'hold') await new Promise<void>((resolve) => (this.gate = resolve));
    return this.real.run(input, progress);
  }

  release(): void {
    this.gate?.();
    this.gate = null;
  }
}

async function waitForJob(server: Server, auth: string, id: string): Promise<TrainingJobDto> {
  for (;;) {
    const res = await request(server).get(`/v1/jobs/${id}`).set('authorization', auth).expect(200);
    const job = res.body as TrainingJobDto;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('model versions and training jobs (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const data = temporaryDataDir();
  const runner = new ScriptedRunner();
  let app: INestApplication;
  let server: Server;
  let admin: SignedInUser;
  let listener: SignedInUser;
  let initial: string;

  beforeAll(async () => {
    app = await startTestApp({
      env: { ...BASE_ENV, CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir },
      overrides: [{ provide: TrainingRunner, useValue: runner }],
    });
    server = app.getHttpServer();
    admin = await signIn(server, ADMIN.username, ADMIN.password);
    listener = await signUp(server, 'listener');
    await app.get(InteractionStore).appendInteractions(listeningHistory());
    initial = (await models()).active as string;
  }, APP_TIMEOUT_MS);
  afterAll(async () => {
    await app.close();
    fixture.remove();
    data.remove();
  });

  const artifactDir = () => join(data.dir, 'models');
  const as = (who: SignedInUser) => ({ authorization: who.auth });

  async function models(): Promise<ModelListDto> {
    return (await request(server).get('/v1/models').set(as(admin)).expect(200)).body as ModelListDto;
  }

  async function recs(user = 'fan-1'): Promise<RecommendationsDto> {
    return (await request(server).get(`/v1/users/${user}/recommendations?k=3`).set(as(admin)).expect(200)).body;
  }

  async function cacheStats(): Promise<AdminStatsDto['cache']> {
    return ((await request(server).get('/v1/admin/stats').set(as(admin)).expect(200)).body as AdminStatsDto).cache;
  }

  async function train(body: object = {}): Promise<TrainingJobDto> {
    const res = await request(server).post('/v1/models/train').set(as(admin)).send(body).expect(202);
    const accepted = res.body as TrainModelAccepted;
    expect(res.headers['location']).toBe(`/v1/jobs/${accepted.jobId}`);
    return waitForJob(server, admin.auth, accepted.jobId);
  }

  it('starts with the model it trained, saved and activated', async () => {
    const list = await models();
    expect(list.active).toMatch(/^engine-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(list.served).toEqual({ version: list.active, loadedFrom: 'training' });
    expect(list.items).toEqual([
      expect.objectContaining({ version: list.active, kind: 'encore-engine', active: true, metrics: {} }),
    ]);
    expect(list.items[0].trainingFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(artifactDir(), ACTIVE_FILE), 'utf8').trim()).toBe(list.active);
  });

  it('trains a new version in a job, publishes it with held-out metrics, and serves it once activated', async () => {
    const before = await recs();
    expect(before.modelVersion).toBe(initial);
    expect((await recs()).modelVersion).toBe(initial);
    expect((await cacheStats()).size).toBeGreaterThan(0);

    const job = await train({ params: { als: { factors: 8 }, weights: { content: 0.3 } } });
    expect(job).toMatchObject({
      kind: 'train',
      status: 'succeeded',
      progress: 1,
      step: 'done',
      activated: false,
      request: { params: { als: { factors: 8 }, weights: { content: 0.3 } } },
      version: expect.stringMatching(/^engine-/),
    });
    expect(job.version).not.toBe(initial);
    expect(Date.parse(job.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(job.startedAt as string));
    for (const metric of ['precision@10', 'recall@10', 'ndcg@10', 'map@10']) {
      expect(job.metrics?.[metric]).toBeGreaterThanOrEqual(0);
      expect(job.metrics?.[metric]).toBeLessThanOrEqual(1);
    }
    expect(job.metrics?.['evaluatedUsers']).toBe(6);

    const list = await models();
    expect(list.items.map((i) => i.version)).toEqual([job.version, initial]);
    expect(list.items[0]).toMatchObject({ metrics: job.metrics, active: false, kind: 'encore-engine' });
    expect(list.items[0].params).toMatchObject({ options: { als: { factors: 8 }, weights: { content: 0.3 } } });
    // Published, not activated: still the start-up model.
    expect(list.active).toBe(initial);
    expect((await recs()).modelVersion).toBe(initial);

    const activated = await request(server).post(`/v1/models/${job.version}/activate`).set(as(admin)).expect(200);
    expect(activated.body).toEqual({ active: job.version, previous: initial });
    expect((await cacheStats()).size).toBe(0);
    const misses = (await cacheStats()).misses;
    const after = await recs();
    expect(after.modelVersion).toBe(job.version);
    expect((await cacheStats()).misses).toBe(misses + 1);
    expect(readFileSync(join(artifactDir(), ACTIVE_FILE), 'utf8').trim()).toBe(job.version);
    expect((await models()).served).toEqual({ version: job.version, loadedFrom: 'artifact' });
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toContain(`encore_model_info{provider="engine",version="${job.version}"} 1`);
    expect(metrics.text).not.toContain(`version="${initial}"`);
  });

  it('activates right away when asked, and runs one job at a time', async () => {
    const served = (await recs()).modelVersion;
    runner.plan.push('hold');
    const first = await request(server)
      .post('/v1/models/train')
      .set(as(admin))
      .send({ activate: true, params: { candidates: 50 } })
      .expect(202);
    const busy = await request(server).post('/v1/models/train').set(as(admin)).send({}).expect(409);
    expect((busy.body as ApiErrorBody).message).toMatch(
      new RegExp(`^training job ${first.body.jobId} is (queued|running); one job runs at a time`),
    );
    expect((await recs()).modelVersion).toBe(served);
    runner.release();
    const job = await waitForJob(server, admin.auth, first.body.jobId);
    expect(job).toMatchObject({ status: 'succeeded', activated: true });
    expect((await recs()).modelVersion).toBe(job.version);
    expect((await models()).active).toBe(job.version);
    const jobs = (await request(server).get('/v1/jobs').set(as(admin)).expect(200)).body as TrainingJobDto[];
    expect(jobs[0].id).toBe(job.id);
  });

  it('fails a job whose training crashes, leaving the served model and the versions as they were', async () => {
    const before = await models();
    const served = (await recs()).modelVersion;
    runner.plan.push('throw');
    const job = await train();
    expect(job).toMatchObject({ status: 'failed', error: 'simulated training crash', step: 'failed' });
    expect(job.version).toBeUndefined();
    expect((await recs()).modelVersion).toBe(served);
    expect(await models()).toEqual(before);
    // The next job runs normally.
    expect((await train({ params: { candidates: 40 } })).status).toBe('succeeded');
  });

  it('refuses a tampered version with 422 and keeps serving the active one', async () => {
    const job = await train({ params: { candidates: 30 } });
    const version = job.version as string;
    const blobs = join(artifactDir(), version, 'blobs');
    const file = join(blobs, readdirSync(blobs).find((f) => f.startsWith('als.itemFactors')) as string);
    const bytes = readFileSync(file);
    bytes[0] ^= 0x40;
    writeFileSync(file, bytes);

    const active = (await models()).active;
    const served = (await recs()).modelVersion;
    const res = await request(server).post(`/v1/models/${version}/activate`).set(as(admin)).expect(422);
    expect((res.body as ApiErrorBody).message).toMatch(
      new RegExp(
        `^model version ${version} is corrupt: blobs/als\\.itemFactors\\.bin has sha256 [0-9a-f]{64} but the manifest says`,
      ),
    );
    expect((await recs()).modelVersion).toBe(served);
    expect((await models()).active).toBe(active);
    expect(readFileSync(join(artifactDir(), ACTIVE_FILE), 'utf8').trim()).toBe(active);
  });

  it('answers 404 for an unknown version or job, and names a bad training parameter', async () => {
    const missing = await request(server).post('/v1/models/engine-nope/activate').set(as(admin)).expect(404);
    expect((missing.body as ApiErrorBody).message).toBe('model version engine-nope not found');
    await request(server).post('/v1/models/..%2Fescape/activate').set(as(admin)).expect(404);
    const job = await request(server).get('/v1/jobs/no-such-job').set(as(admin)).expect(404);
    expect((job.body as ApiErrorBody).message).toBe('job no-such-job not found');
    const cases: [object, string][] = [
      [{ params: { als: { factors: 0 } } }, 'params.als.factors'],
      [{ params: { weights: { content: -1 } } }, 'params.weights.content'],
      [{ strategy: 'magic' }, 'strategy'],
      [{ activate: 'yes' }, 'activate'],
      [{ params: { als: { colour: 1 } } }, 'params.als.colour'],
      [{ epochs: 3 }, 'epochs'],
    ];
    for (const [body, field] of cases) {
      const res = await request(server).post('/v1/models/train').set(as(admin)).send(body).expect(400);
      expect((res.body as ApiErrorBody).details[0].field).toBe(field);
    }
  });

  it('keeps every model route to admins', async () => {
    const version = (await models()).active as string;
    const routes: [string, string][] = [
      ['get', '/v1/models'],
      ['post', '/v1/models/train'],
      ['post', `/v1/models/${version}/activate`],
      ['get', '/v1/jobs'],
      ['get', '/v1/jobs/any'],
    ];
    for (const [method, path] of routes) {
      const call = () => (method === 'get' ? request(server).get(path) : request(server).post(path).send({}));
      expect({ path, status: (await call().set(as(listener))).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await call()).status }).toEqual({ path, status: 401 });
    }
  });

  it(
    'fails a job whose ALS threads exit, leaving the served model and the versions as they were',
    async () => {
      // The real training worker (through ts-node), its ALS pool threads dying as a killed or out-of-memory thread would.
      const crashing = new WorkerTrainingRunner({
        alsThreads: 2,
        alsScript: () => ({ source: 'process.exit(9)', eval: true }),
      });
      const original = runner.run.bind(runner);
      runner.run = (input, progress) => crashing.run(input, progress);
      try {
        const before = await models();
        const served = (await recs()).modelVersion;
        const job = await train({ activate: true });
        expect(job).toMatchObject({ status: 'failed', error: 'worker thread exited with code 9', step: 'failed' });
        expect((await recs()).modelVersion).toBe(served);
        expect(await models()).toEqual(before);
      } finally {
        runner.run = original;
      }
    },
    JOB_TIMEOUT_MS,
  );

  it('fails a job whose worker thread exits before answering', async () => {
    const exiting = new WorkerTrainingRunner({ script: () => ({ source: 'process.exit(7)', eval: true }) });
    const original = runner.run.bind(runner);
    runner.run = (input, progress) => exiting.run(input, progress);
    try {
      const served = (await recs()).modelVersion;
      const job = await train();
      expect(job).toMatchObject({ status: 'failed', error: 'training worker exited with code 7 before finishing' });
      expect((await recs()).modelVersion).toBe(served);
    } finally {
      runner.run = original;
    }
  });
});

describe('start-up from saved models (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const data = temporaryDataDir();
  const env = { ...BASE_ENV, CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir };
  afterAll(() => {
    fixture.remove();
    data.remove();
  });

  async function started(extra: Record<string, string> = {}) {
    const app = await startTestApp({ env: { ...env, ...extra }, logger: false });
    const engine = app.get(EngineRecommenderProvider);
    return { app, engine, report: await engine.start() };
  }

  it('loads the active version instead of training, folding in feedback stored since', async () => {
    const first = await started();
    expect(first.report.loadedFrom).toBe('training');
    const version = first.report.version;
    await first.app.get(InteractionStore).appendInteractions(listeningHistory());
    await first.app.close();

    const second = await started();
    try {
      expect(second.engine.loadedFrom).toBe('artifact');
      expect(second.report).toMatchObject({
        loadedFrom: 'artifact',
        version,
        replayedEvents: 24,
        activeAtStart: version,
      });
      const health = await request(second.app.getHttpServer()).get('/health').expect(200);
      expect(health.body.checks.recommender.detail).toMatch(/loaded from the artifact store$/);
      const admin = await signIn(second.app.getHttpServer(), ADMIN.username, ADMIN.password);
      const r = await request(second.app.getHttpServer())
        .get('/v1/users/fan-1/recommendations?k=3')
        .set('authorization', admin.auth)
        .expect(200);
      expect(r.body.modelVersion).toBe(version);
      // fan-1's replayed plays are never recommended back.
      for (const item of r.body.items) expect(['t1', 't3', 't11', 't4']).not.toContain(item.id);
    } finally {
      await second.app.close();
    }
  });

  it('trains (and replaces ACTIVE) when the active version is corrupt or was trained on another catalog', async () => {
    const active = () => readFileSync(join(data.dir, 'models', ACTIVE_FILE), 'utf8').trim();
    const spoiled = active();
    const blobs = join(data.dir, 'models', spoiled, 'blobs');
    const file = join(blobs, readdirSync(blobs)[0]);
    writeFileSync(file, readFileSync(file).subarray(1));

    const afterCorruption = await started();
    try {
      expect(afterCorruption.report).toMatchObject({ loadedFrom: 'training', activeAtStart: spoiled });
      expect(active()).toBe(afterCorruption.report.version);
    } finally {
      await afterCorruption.app.close();
    }

    const other = writeFixtureCatalog(FIXTURE_CSV.split('\n').slice(0, -2).join('\n'));
    try {
      const foreign = await started({ CATALOG_PATH: other.path });
      try {
        expect(foreign.report).toMatchObject({ loadedFrom: 'training', songs: 10 });
        const health = await request(foreign.app.getHttpServer()).get('/health').expect(200);
        expect(health.body.checks.recommender.status).toBe('up');
      } finally {
        await foreign.app.close();
      }
    } finally {
      other.remove();
    }
  });
});

describe('replicas sharing one model directory (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const models = temporaryDataDir();
  const dataA = temporaryDataDir();
  const dataB = temporaryDataDir();
  const env = { ...BASE_ENV, CATALOG_PATH: fixture.path, ARTIFACT_DIR: models.dir };
  let a: INestApplication;
  let b: INestApplication;

  beforeAll(async () => {
    a = await startTestApp({
      env: { ...env, ENCORE_DATA_DIR: dataA.dir },
      overrides: [{ provide: TrainingRunner, useValue: new InProcessTrainingRunner() }],
    });
    b = await startTestApp({ env: { ...env, ENCORE_DATA_DIR: dataB.dir }, logger: false });
  }, APP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    for (const dir of [fixture, models, dataA, dataB]) dir.remove();
  });

  const served = (app: INestApplication) => app.get(EngineRecommenderProvider).model?.version;

  it('follows an activation made on another replica, and ignores an active version it cannot serve', async () => {
    // B started from the model A trained and activated.
    expect(b.get(EngineRecommenderProvider).loadedFrom).toBe('artifact');
    expect(served(b)).toBe(served(a));

    const admin = await signIn(a.getHttpServer(), ADMIN.username, ADMIN.password);
    await a.get(InteractionStore).appendInteractions(listeningHistory());
    const res = await request(a.getHttpServer())
      .post('/v1/models/train')
      .set('authorization', admin.auth)
      .send({ activate: true })
      .expect(202);
    const job = await waitForJob(a.getHttpServer(), admin.auth, res.body.jobId);
    expect(served(a)).toBe(job.version);
    const cache = b.get(ResponseCache);
    await cache.set('user-x:recs', { stale: true }, 60);

    await b.get(ModelsService).followActive();
    expect(served(b)).toBe(job.version);
    expect(await cache.get('user-x:recs')).toBeUndefined();

    // An active version B cannot serve (here: corrupted after A activated it) is refused; B keeps what it has.
    const again = await request(a.getHttpServer())
      .post('/v1/models/train')
      .set('authorization', admin.auth)
      .send({ params: { candidates: 25 } })
      .expect(202);
    const next = await waitForJob(a.getHttpServer(), admin.auth, again.body.jobId);
    await request(a.getHttpServer())
      .post(`/v1/models/${next.version}/activate`)
      .set('authorization', admin.auth)
      .expect(200);
    const nextBlobs = join(models.dir, next.version as string, 'blobs');
    const nextFile = join(nextBlobs, readdirSync(nextBlobs)[0]);
    writeFileSync(nextFile, readFileSync(nextFile).subarray(2));
    await b.get(ModelsService).followActive();
    expect(served(b)).toBe(job.version);
  });
});

describe('training in a worker thread (e2e)', () => {
  const fixture = writeFixtureCatalog();
  /** TRAINING_THREADS=1: ALS on the training worker. */
  let serial: INestApplication;
  /** TRAINING_THREADS=2: ALS on two pool threads the training worker starts. */
  let threaded: INestApplication;
  let admin: SignedInUser;

  const start = async (threads: string) => {
    // The real runner: from TypeScript sources the workers load training-worker.ts and als-worker.ts through ts-node.
    const app = await startTestApp({ env: { ...BASE_ENV, CATALOG_PATH: fixture.path, TRAINING_THREADS: threads } });
    await app.get(InteractionStore).appendInteractions(listeningHistory());
    return app;
  };

  beforeAll(async () => {
    serial = await start('1');
    threaded = await start('2');
    admin = await signIn(serial.getHttpServer(), ADMIN.username, ADMIN.password);
  }, 2 * APP_TIMEOUT_MS);
  afterAll(async () => {
    await serial?.close();
    await threaded?.close();
    fixture.remove();
  });

  const body = { activate: true, params: { als: { factors: 4 } } };

  it(
    'trains, evaluates and publishes off the API thread, reporting progress',
    async () => {
      const server = serial.getHttpServer();
      const res = await request(server)
        .post('/v1/models/train')
        .set('authorization', admin.auth)
        .send(body)
        .expect(202);
      // The API keeps answering while the worker starts and trains.
      await request(server).get('/health').expect(200);
      const job = await waitForJob(server, admin.auth, res.body.jobId);
      expect(job).toMatchObject({ status: 'succeeded', activated: true, progress: 1 });
      expect(job.metrics?.['evaluatedUsers']).toBe(6);
      const list = (await request(server).get('/v1/models').set('authorization', admin.auth).expect(200))
        .body as ModelListDto;
      expect(list.active).toBe(job.version);
      expect(list.items[0]).toMatchObject({ version: job.version, metrics: job.metrics });
    },
    JOB_TIMEOUT_MS,
  );

  it(
    'runs ALS on TRAINING_THREADS threads to the one-thread model, bit for bit, serving requests meanwhile',
    async () => {
      const server = threaded.getHttpServer();
      const boss = await signIn(server, ADMIN.username, ADMIN.password);
      const res = await request(server).post('/v1/models/train').set('authorization', boss.auth).send(body).expect(202);
      // Recommendations are answered while the job runs (its workers boot through ts-node for seconds).
      let answeredWhileRunning = 0;
      let job: TrainingJobDto;
      for (;;) {
        job = (await request(server).get(`/v1/jobs/${res.body.jobId}`).set('authorization', boss.auth).expect(200))
          .body as TrainingJobDto;
        if (job.status === 'succeeded' || job.status === 'failed') break;
        await request(server).get('/v1/users/fan-1/recommendations?k=3').set('authorization', boss.auth).expect(200);
        if (job.status === 'running') answeredWhileRunning++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(job).toMatchObject({ status: 'succeeded', activated: true, progress: 1 });
      expect(answeredWhileRunning).toBeGreaterThan(0);
      const served = await request(server)
        .get('/v1/users/fan-1/recommendations?k=3')
        .set('authorization', boss.auth)
        .expect(200);
      expect((served.body as RecommendationsDto).modelVersion).toBe(job.version);
      expect((served.body as RecommendationsDto).items).toHaveLength(3);

      // The same data and request on one thread.
      const accepted = await request(serial.getHttpServer())
        .post('/v1/models/train')
        .set('authorization', admin.auth)
        .send(body)
        .expect(202);
      const one = await waitForJob(serial.getHttpServer(), admin.auth, accepted.body.jobId);
      expect(one.status).toBe('succeeded');
      const [a, b] = await Promise.all([
        serial.get(ArtifactStore).load(one.version as string),
        threaded.get(ArtifactStore).load(job.version as string),
      ]);
      const alsDetails = (state: typeof a.state) =>
        (state.meta['report'] as EngineTrainingReport).components['als'].details;
      expect([alsDetails(a.state)?.['parallelism'], alsDetails(b.state)?.['parallelism']]).toEqual([1, 2]);
      expect(b.manifest.metrics).toEqual(a.manifest.metrics);
      for (const blob of ['als.userFactors', 'als.itemFactors'])
        expect(Array.from(b.state.blobs[blob] as Float32Array)).toEqual(
          Array.from(a.state.blobs[blob] as Float32Array),
        );
    },
    JOB_TIMEOUT_MS,
  );
});
