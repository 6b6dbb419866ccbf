import type { INestApplication } from '@nestjs/common';
import type { RecommendationsDto } from '@encore/api-contract';
import type { FakePersonalize } from '@encore/provider-personalize/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { signUp, type SignedInUser } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { personalizeEnv, SIMILAR_CAMPAIGN, startPersonalizeWorld, USER_CAMPAIGN } from './testing/personalize-world';
import { startTestApp } from './testing/test-app';

const TIMEOUT_MS = 300;

// RECOMMENDER_PROVIDER=personalize with the real SDK pointed at a loopback fake; the engine is the fallback.
describe('recommendations with Amazon Personalize (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let fake: FakePersonalize;
  let restore: () => Promise<void>;
  let app: INestApplication;
  let server: Server;
  let ada: SignedInUser;

  beforeAll(async () => {
    ({ fake, restore } = await startPersonalizeWorld());
    app = await startTestApp({
      env: {
        CATALOG_PATH: fixture.path,
        RATE_LIMIT_PER_MINUTE: '100000',
        ...personalizeEnv(fake, { PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) }),
      },
    });
    server = app.getHttpServer();
    ada = await signUp(server, 'ada');
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await restore();
    fixture.remove();
  });
  afterEach(() => fake.recover());

  const ids = (r: RecommendationsDto) => r.items.map((i) => i.id);
  async function recs(query = ''): Promise<RecommendationsDto> {
    const res = await request(server).get(`/v1/users/${ada.id}/recommendations${query}`).set('authorization', ada.auth);
    expect(res.status).toBe(200);
    return res.body as RecommendationsDto;
  }

  it('serves Personalize results as songs with the Personalize reason', async () => {
    const r = await recs('?k=3');
    expect(r).toMatchObject({ provider: 'personalize', modelVersion: 'personalize:encore-users' });
    expect(r.fallback).toBeUndefined();
    expect(ids(r)).toEqual(['t9', 't10', 't8']);
    expect(r.items[0]).toMatchObject({
      name: 'So What',
      artists: ['Miles Davis'],
      genres: ['jazz'],
      score: 1,
      reason: { source: 'personalize', text: 'Recommended by Amazon Personalize' },
    });
    const sent = fake.recommendationRequests.at(-1);
    expect(sent).toMatchObject({ campaignArn: USER_CAMPAIGN, userId: ada.id });
    expect(fake.requests.at(-1)?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/personalize\//,
    );
  });

  it('filters genres and excluded ids on its side of the call', async () => {
    expect(ids(await recs('?k=3&genre=pop'))).toEqual(['t4', 't3', 't1']);
    expect(ids(await recs('?k=2&exclude=t9&excludeGenre=metal'))).toEqual(['t10', 't8']);
  });

  it('asks the similar-items campaign for similar songs, without the seed', async () => {
    const res = await request(server).get('/v1/songs/t9/similar?k=2').expect(200);
    expect(ids(res.body as RecommendationsDto)).toEqual(['t10', 't8']);
    expect(fake.recommendationRequests.at(-1)).toMatchObject({ campaignArn: SIMILAR_CAMPAIGN, itemId: 't9' });
  });

  it('forwards feedback to the event tracker', async () => {
    await request(server)
      .post(`/v1/users/${ada.id}/interactions`)
      .set('authorization', ada.auth)
      .send({ events: [{ songId: 't6', event: 'like' }] })
      .expect(201);
    expect(fake.putEvents.at(-1)).toMatchObject({
      trackingId: 'encore-tracker',
      userId: ada.id,
      eventList: [{ eventType: 'like', itemId: 't6', sentAt: expect.any(Number) }],
    });
  });

  it('answers from the engine when Personalize fails, marks it, counts it and does not cache it', async () => {
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    const r = await recs('?k=4&strategy=hybrid');
    expect(r.provider).toBe('engine');
    expect(r.modelVersion).toMatch(/^engine-/);
    expect(r.fallback).toEqual({
      from: 'personalize',
      reason: expect.stringMatching(/^error: .*InternalServerError \(HTTP 500\)/),
    });
    expect(r.items).toHaveLength(4);
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/encore_provider_errors_total\{provider="personalize",operation="recommend"\} [1-9]/);

    fake.recover();
    const again = await recs('?k=4&strategy=hybrid');
    expect(again.provider).toBe('personalize');
    expect(again.fallback).toBeUndefined();
  });

  it('answers from the engine when Personalize is slower than PROVIDER_TIMEOUT_MS', async () => {
    fake.delayMs = TIMEOUT_MS * 3;
    const res = await request(server).get('/v1/songs/t1/similar?k=2').expect(200);
    const r = res.body as RecommendationsDto;
    expect(r.provider).toBe('engine');
    expect(r.fallback).toEqual({ from: 'personalize', reason: `timeout after ${TIMEOUT_MS} ms` });
    expect(ids(r)).not.toContain('t1');
  });

  it('shows the provider in health', async () => {
    const res = await request(server).get('/health').expect(200);
    expect(res.body.checks.recommender).toEqual({
      status: 'up',
      detail: expect.stringMatching(/^personalize personalize:encore-users circuit closed/),
    });
  });
});

describe('recommender configuration (e2e)', () => {
  const fixture = writeFixtureCatalog();
  afterAll(() => fixture.remove());

  it('refuses to start with an unknown provider, naming the variable', async () => {
    await expect(startTestApp({ env: { CATALOG_PATH: fixture.path, RECOMMENDER_PROVIDER: 'magic' } })).rejects.toThrow(
      'RECOMMENDER_PROVIDER must be one of engine, personalize (got "magic")',
    );
  });

  it('requires the Personalize settings when that provider is chosen', async () => {
    const start = startTestApp({
      env: { CATALOG_PATH: fixture.path, RECOMMENDER_PROVIDER: 'personalize', PERSONALIZE_REGION: 'eu-west-1' },
    });
    await expect(start).rejects.toThrow(
      /PERSONALIZE_USER_CAMPAIGN_ARN is required when RECOMMENDER_PROVIDER=personalize/,
    );
    await expect(start).rejects.toThrow(/PERSONALIZE_SIMILAR_CAMPAIGN_ARN is required/);
    await expect(start).rejects.toThrow(/PERSONALIZE_TRACKING_ID is required/);
  });

  it('bounds MAX_K', async () => {
    await expect(startTestApp({ env: { CATALOG_PATH: fixture.path, MAX_K: '5000' } })).rejects.toThrow(
      'MAX_K must be an integer between 1 and 1000 (got 5000)',
    );
  });
});
