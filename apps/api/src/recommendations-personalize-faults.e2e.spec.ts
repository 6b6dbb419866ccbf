import type { INestApplication } from '@nestjs/common';
import type { RecommendationsDto } from '@encore/api-contract';
import type { FakePersonalize } from '@encore/provider-personalize/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { signUp, type SignedInUser } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { personalizeEnv, startPersonalizeWorld } from './testing/personalize-world';
import { startTestApp } from './testing/test-app';

const TIMEOUT_MS = 300;
const CIRCUIT_FAILURES = 3;
const CIRCUIT_OPEN_MS = 1500;
/** Far beyond the timeout: an answer that waited for Personalize could not come back before it. */
const SLOW_MS = 5000;
/** Room for a loaded CI machine on top of the timeout; still well short of SLOW_MS. */
const SLACK_MS = 2500;

// The real app with RECOMMENDER_PROVIDER=personalize, the real SDK pointed at a loopback fake that is made slow or
// failing; the engine is the fallback. A fresh app per test: the circuit's state is per process.
describe('Amazon Personalize slow or failing (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let fake: FakePersonalize;
  let restore: () => Promise<void>;
  let app: INestApplication;
  let server: Server;
  let ada: SignedInUser;

  beforeAll(async () => {
    ({ fake, restore } = await startPersonalizeWorld());
  });
  beforeEach(async () => {
    app = await startTestApp({
      env: {
        CATALOG_PATH: fixture.path,
        RATE_LIMIT_PER_MINUTE: '100000',
        ...personalizeEnv(fake, {
          PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
          PROVIDER_CIRCUIT_FAILURES: String(CIRCUIT_FAILURES),
          PROVIDER_CIRCUIT_OPEN_MS: String(CIRCUIT_OPEN_MS),
        }),
      },
    });
    server = app.getHttpServer();
    ada = await signUp(server, 'ada');
  }, 30_000);
  afterEach(async () => {
    fake.recover();
    await app.close();
  });
  afterAll(async () => {
    await restore();
    fixture.remove();
  });

  async function recs(k: number): Promise<RecommendationsDto> {
    const res = await request(server).get(`/v1/users/${ada.id}/recommendations?k=${k}`).set('authorization', ada.auth);
    expect(res.status).toBe(200);
    return res.body as RecommendationsDto;
  }

  async function circuit(): Promise<string> {
    const res = await request(server).get('/health').expect(200);
    return res.body.checks.recommender.detail as string;
  }

  it('answers from the engine within the timeout budget while Personalize is slow, and says so', async () => {
    fake.delayMs = SLOW_MS;
    const started = Date.now();
    const personal = await recs(4);
    const similar = (await request(server).get('/v1/songs/t1/similar?k=3').expect(200)).body as RecommendationsDto;
    const elapsed = Date.now() - started;

    for (const answer of [personal, similar]) {
      expect(answer.provider).toBe('engine');
      expect(answer.modelVersion).toMatch(/^engine-/);
      expect(answer.fallback).toEqual({ from: 'personalize', reason: `timeout after ${TIMEOUT_MS} ms` });
    }
    expect(personal.items).toHaveLength(4);
    expect(similar.items.map((i) => i.id)).not.toContain('t1');
    // Two calls, each bounded by the timeout rather than by Personalize.
    expect(elapsed).toBeLessThan(2 * (TIMEOUT_MS + SLACK_MS));
    expect(elapsed).toBeLessThan(SLOW_MS);
    expect(fake.recommendationRequests).toHaveLength(2);
  });

  it('opens the circuit after PROVIDER_CIRCUIT_FAILURES failures, leaves Personalize alone while open, and closes once it answers again', async () => {
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    let lastFailureSent = 0;
    for (let i = 0; i < CIRCUIT_FAILURES; i++) {
      const calls = fake.requests.length;
      lastFailureSent = Date.now();
      const r = await recs(3);
      expect(r.fallback).toEqual({ from: 'personalize', reason: expect.stringMatching(/^error: .*HTTP 500/) });
      expect(fake.requests.length).toBeGreaterThan(calls);
    }
    expect(await circuit()).toMatch(/circuit open;/);

    // Open: recommendations, similar songs and feedback never reach Personalize.
    const calls = fake.requests.length;
    for (const k of [1, 2, 3, 4, 5])
      expect((await recs(k)).fallback).toEqual({ from: 'personalize', reason: 'circuit open' });
    const similar = (await request(server).get('/v1/songs/t9/similar?k=2').expect(200)).body as RecommendationsDto;
    expect(similar).toMatchObject({ provider: 'engine', fallback: { from: 'personalize', reason: 'circuit open' } });
    await request(server)
      .post(`/v1/users/${ada.id}/interactions`)
      .set('authorization', ada.auth)
      .send({ events: [{ songId: 't6', event: 'like' }] })
      .expect(201);
    expect(fake.requests.length).toBe(calls);

    // Healthy again: after the cool-down one trial call goes through and closes the circuit.
    fake.recover();
    let closed: RecommendationsDto | undefined;
    const deadline = Date.now() + CIRCUIT_OPEN_MS + 10_000;
    while (closed === undefined && Date.now() < deadline) {
      const r = await recs(3);
      if (r.fallback === undefined) closed = r;
      else {
        expect(r.fallback.reason).toBe('circuit open');
        expect(fake.requests.length).toBe(calls);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(closed).toMatchObject({ provider: 'personalize', modelVersion: 'personalize:encore-users' });
    // The circuit cannot have closed before the cool-down that started with the last failing call.
    expect(Date.now() - lastFailureSent).toBeGreaterThanOrEqual(CIRCUIT_OPEN_MS);
    expect(fake.requests.length).toBe(calls + 1);
    expect(closed?.items.map((i) => i.id)).toEqual(['t9', 't10', 't8']);
    expect(await circuit()).toMatch(/circuit closed;/);
    expect((await recs(2)).fallback).toBeUndefined();

    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      new RegExp(
        `encore_provider_errors_total\\{provider="personalize",operation="recommend"\\} ${CIRCUIT_FAILURES}\\n`,
      ),
    );
  });
});
