import type {
  ApiErrorBody,
  ModelListDto,
  RecommendationsDto,
  TrainingJobDto,
  TrainModelAccepted,
} from '@encore/api-contract';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, call, expectStatus, signIn } from './support/api-client';
import { ApiProcess } from './support/api-process';

const ADMIN = { user: 'boss', password: 'boss-password-1' };
/** A simulated listener of the demo data: has history, so the list depends on the model. */
const LISTENER = 'sim-u0001';
/** Versions that are only published to be damaged need not be good models. */
const CHEAP_TRAINING = { params: { als: { factors: 4 }, candidates: 50 } };

describe('training killed or its artifacts damaged (e2e, built API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-e2e-training-'));
  const modelsDir = join(dir, 'data', 'models');
  let api: ApiProcess;
  let admin: Account;
  let original: string;

  beforeAll(async () => {
    // The sample catalog with the simulated listeners: enough data that training takes long enough to be caught in it.
    api = await ApiProcess.start({
      env: {
        ENCORE_DATA_DIR: join(dir, 'data'),
        DEMO_LISTENERS: 'true',
        ENCORE_ADMIN_USER: ADMIN.user,
        ENCORE_ADMIN_PASSWORD: ADMIN.password,
      },
      startTimeoutMs: 110_000,
    });
    admin = await signIn(api.baseUrl, ADMIN.user, ADMIN.password);
    original = (await models()).active as string;
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const models = () => expectStatus<ModelListDto>(200, api.baseUrl, 'GET', '/v1/models', { auth: admin.auth });
  const servedVersion = async () =>
    (
      await expectStatus<RecommendationsDto>(200, api.baseUrl, 'GET', `/v1/users/${LISTENER}/recommendations?k=5`, {
        auth: admin.auth,
      })
    ).modelVersion;
  const job = (id: string) =>
    expectStatus<TrainingJobDto>(200, api.baseUrl, 'GET', `/v1/jobs/${id}`, { auth: admin.auth });

  async function startTraining(body: object): Promise<string> {
    const accepted = await expectStatus<TrainModelAccepted>(202, api.baseUrl, 'POST', '/v1/models/train', {
      body,
      auth: admin.auth,
    });
    return accepted.jobId;
  }

  async function trainToCompletion(body: object = {}): Promise<string> {
    const id = await startTraining(body);
    for (;;) {
      const state = await job(id);
      if (state.status === 'failed') throw new Error(`training failed: ${state.error}`);
      if (state.status === 'succeeded') return state.version as string;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function activate(version: string) {
    return call<ApiErrorBody>(api.baseUrl, 'POST', `/v1/models/${version}/activate`, { auth: admin.auth });
  }

  function largestBlob(version: string): string {
    const blobs = join(modelsDir, version, 'blobs');
    const files = readdirSync(blobs).map((name) => join(blobs, name));
    return files.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
  }

  it('serves the same model after the API is killed in the middle of a job that was to activate its result', async () => {
    const before = await models();
    expect(before.served?.version).toBe(original);
    expect(await servedVersion()).toBe(original);

    const id = await startTraining({ activate: true });
    let seen: TrainingJobDto;
    do {
      seen = await job(id);
      if (seen.status === 'succeeded' || seen.status === 'failed') {
        throw new Error(`the job ended (${seen.status}) before it was seen training; nothing was interrupted`);
      }
    } while (!seen.step.startsWith('training on'));
    await api.kill('SIGKILL');

    await api.restart();
    admin = await signIn(api.baseUrl, ADMIN.user, ADMIN.password);
    const after = await models();
    expect(after.active).toBe(original);
    expect(after.served?.version).toBe(original);
    expect(after.items.map((item) => item.version)).toEqual(before.items.map((item) => item.version));
    expect(await servedVersion()).toBe(original);
    // Nothing is left half-written where a version would be listed.
    expect(readdirSync(modelsDir).filter((name) => !name.startsWith('.'))).toEqual(
      expect.arrayContaining([original, 'ACTIVE']),
    );
    expect(readdirSync(modelsDir).filter((name) => !name.startsWith('.') && name !== 'ACTIVE')).toEqual([original]);
  }, 120_000);

  describe('a newer version damaged on disk', () => {
    // Trained once: each test damages it, checks the refusal, and repairs it again.
    let version: string;
    beforeAll(async () => {
      version = await trainToCompletion(CHEAP_TRAINING);
      expect(version).not.toBe(original);
    }, 90_000);

    it('is refused when a blob was truncated, and the active version keeps serving', async () => {
      const blob = largestBlob(version);
      const intact = readFileSync(blob);
      truncateSync(blob, Math.floor(intact.length / 2));
      try {
        const res = await activate(version);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', details: [] });
        expect(res.body.message).toMatch(new RegExp(`^model version ${version} is corrupt: blobs/`));
        expect((await models()).active).toBe(original);
        expect(await servedVersion()).toBe(original);
        expect(readFileSync(join(modelsDir, 'ACTIVE'), 'utf8').trim()).toBe(original);
      } finally {
        writeFileSync(blob, intact);
      }
    });

    it('is refused when its manifest vouches for other bytes; repaired, the same version activates', async () => {
      const manifestPath = join(modelsDir, version, 'manifest.json');
      const intact = readFileSync(manifestPath, 'utf8');
      const manifest = JSON.parse(intact) as { blobs: Record<string, { sha256: string }> };
      const [name, entry] = Object.entries(manifest.blobs)[0];
      entry.sha256 = entry.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      writeFileSync(manifestPath, JSON.stringify(manifest));

      const res = await activate(version);
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(new RegExp(`^model version ${version} is corrupt: .*${name}`));
      expect((await models()).active).toBe(original);
      expect(await servedVersion()).toBe(original);

      // The refusals were about those bytes: repaired, the same version activates and is served at once.
      writeFileSync(manifestPath, intact);
      const activated = await activate(version);
      expect(activated.status).toBe(200);
      expect(activated.body).toEqual({ active: version, previous: original });
      expect(await servedVersion()).toBe(version);
    });
  });
});
