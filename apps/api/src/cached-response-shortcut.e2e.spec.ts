import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody, RecommendationsDto } from '@encore/api-contract';
import type { RecommendationRequest, RecommendationResult, SimilarRequest } from '@encore/recommender-port';
import type { Server } from 'node:http';
import request from 'supertest';
import { handMadeJwt, jwtPayload, signIn, signUp, type SignedInUser } from './testing/accounts';
import { RecommendationsService } from './recommendations/recommendations.service';
import { FakeRecommender } from './testing/fake-recommender';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

const ADMIN = { ENCORE_ADMIN_USER: 'boss', ENCORE_ADMIN_PASSWORD: 'boss-password-1' };
const ORIGIN = 'http://localhost:5173';

/** Answers with fixture songs and counts its calls: a call means the request went through Nest to the provider. */
class CountingRecommender extends FakeRecommender {
  calls = 0;
  override async recommend(req?: RecommendationRequest): Promise<RecommendationResult> {
    this.calls++;
    const items = ['t1', 't3', 't2', 't5']
      .filter((id) => !req?.exclude?.includes(id))
      .slice(0, req?.k ?? 10)
      .map((songId, i) => ({
        songId,
        score: this.calls + 1 / (i + 1),
        reason: { source: 'popularity', text: 'Popular' },
      }));
    return { items, provider: this.name, modelVersion: 'test' };
  }
  override async similar(req?: SimilarRequest): Promise<RecommendationResult> {
    return this.recommend(req as unknown as RecommendationRequest);
  }
}

/** Headers that differ between two answers by design. */
const PER_RESPONSE = ['x-request-id', 'date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'connection', 'keep-alive'];
const stable = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.includes(name)));

// The shortcut in front of Express answers repeat GETs from the response cache; these prove it answers exactly what
// Nest would (body, headers), only to whom Nest would, and never after the cache entry is gone.
describe('cached-response shortcut (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let recommender: CountingRecommender;
  let app: INestApplication;
  let server: Server;
  let ana: SignedInUser;
  let bob: SignedInUser;
  let admin: SignedInUser;

  beforeEach(async () => {
    recommender = new CountingRecommender();
    app = await startTestApp({
      recommender,
      env: { CATALOG_PATH: fixture.path, RATE_LIMIT_PER_MINUTE: '1000', CORS_ORIGIN: ORIGIN, ...ADMIN },
    });
    server = app.getHttpServer();
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
    admin = await signIn(server, ADMIN.ENCORE_ADMIN_USER, ADMIN.ENCORE_ADMIN_PASSWORD);
  });
  afterEach(() => app.close());
  afterAll(() => fixture.remove());

  const recsUrl = (who: SignedInUser, query = '?k=3') => `/v1/users/${who.id}/recommendations${query}`;
  const get = (url: string, auth?: string) => {
    const req = request(server).get(url);
    return auth === undefined ? req : req.set('authorization', auth);
  };

  it('answers a repeat request without entering Nest, with the same status, body and headers', async () => {
    // Every request Nest routes reaches the service, cache hit or not; the shortcut's never do.
    const routed = jest.spyOn(app.get(RecommendationsService), 'forUser');
    const first = await get(recsUrl(ana), ana.auth).set('origin', ORIGIN).expect(200);
    const second = await get(recsUrl(ana), ana.auth).set('origin', ORIGIN).expect(200);
    expect(recommender.calls).toBe(1);
    expect(second.text).toBe(first.text);
    expect((second.body as RecommendationsDto).items.map((i) => i.id)).toEqual(['t1', 't3', 't2']);
    expect(stable(second.headers)).toEqual(stable(first.headers));
    expect(second.headers['content-security-policy']).toContain("default-src 'self'");
    expect(second.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(second.headers['etag']).toBe(first.headers['etag']);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
    // A sane incoming request id is echoed, as by the middleware.
    const traced = await get(recsUrl(ana), ana.auth).set('origin', ORIGIN).set('x-request-id', 'trace-42').expect(200);
    expect(traced.headers['x-request-id']).toBe('trace-42');
    expect(recommender.calls).toBe(1);
    expect(routed).toHaveBeenCalledTimes(1);
  });

  it('keeps each URL, query string and Origin apart', async () => {
    await get(recsUrl(ana), ana.auth).expect(200);
    const other = await get(recsUrl(ana, '?k=3&exclude=t1'), ana.auth).expect(200);
    expect((other.body as RecommendationsDto).items.map((i) => i.id)).toEqual(['t3', 't2', 't5']);
    expect(recommender.calls).toBe(2);
    // Same URL, a new Origin: Nest answers (and the CORS header is that Origin's), then the shortcut does.
    const foreign = await get(recsUrl(ana), ana.auth).set('origin', 'http://evil.example').expect(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const again = await get(recsUrl(ana), ana.auth).set('origin', 'http://evil.example').expect(200);
    expect(again.headers['access-control-allow-origin']).toBeUndefined();
    expect(recommender.calls).toBe(2);
  });

  it('refuses exactly whom Nest refuses: no token, forged, expired, another listener; admins pass', async () => {
    await get(recsUrl(ana), ana.auth).expect(200);
    const unauthorised = [
      undefined,
      'Bearer not-a-token',
      `Bearer ${handMadeJwt({ alg: 'HS256', typ: 'JWT' }, { ...jwtPayload(ana.token) }, 'some-other-secret')}`,
      `Bearer ${handMadeJwt({ alg: 'none', typ: 'JWT' }, { ...jwtPayload(ana.token), role: 'admin' })}`,
    ];
    for (const auth of unauthorised) {
      const res = await get(recsUrl(ana), auth).expect(401);
      expect(res.body as ApiErrorBody).toMatchObject({ statusCode: 401, requestId: expect.any(String) });
    }
    const forbidden = await get(recsUrl(ana), bob.auth).expect(403);
    expect((forbidden.body as ApiErrorBody).message).toMatch(/owner or an admin/);
    await get(recsUrl(ana), admin.auth).expect(200);
    expect(recommender.calls).toBe(1);
  });

  it('stops answering for a token revoked by logout', async () => {
    await get(recsUrl(ana), ana.auth).expect(200);
    await get(recsUrl(ana), ana.auth).expect(200);
    await request(server).post('/v1/auth/logout').set('authorization', ana.auth).expect(204);
    await get(recsUrl(ana), ana.auth).expect(401);
  });

  it('recomputes after feedback drops the listener’s cached answers', async () => {
    const before = await get(recsUrl(ana), ana.auth).expect(200);
    await request(server)
      .post(`/v1/users/${ana.id}/interactions`)
      .set('authorization', ana.auth)
      .send({ events: [{ songId: 't9', event: 'like' }] })
      .expect(201);
    const after = await get(recsUrl(ana), ana.auth).expect(200);
    expect(recommender.calls).toBe(2);
    expect(after.text).not.toBe(before.text);
    await get(recsUrl(ana), ana.auth).expect(200);
    expect(recommender.calls).toBe(2);
  });

  it('counts shortcut answers against the rate limit and says 429 past it', async () => {
    await app.close();
    recommender = new CountingRecommender();
    app = await startTestApp({
      recommender,
      env: { CATALOG_PATH: fixture.path, RATE_LIMIT_PER_MINUTE: '12', ...ADMIN },
    });
    server = app.getHttpServer();
    const carol = await signUp(server, 'carol');
    const routed = jest.spyOn(app.get(RecommendationsService), 'forUser');
    // Signing up used 1 of carol's 12 (GET /v1/auth/me; register and token count per IP). The first GET goes
    // through Nest, the next ten through the shortcut, and the limit holds across both.
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await get(recsUrl(carol), carol.auth)).status);
    expect(statuses).toEqual([...Array<number>(11).fill(200), 429, 429]);
    const limited = await get(recsUrl(carol), carol.auth).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(recommender.calls).toBe(1);
    // Only the first request reached the service: the shortcut answered the others, and 429s stop at the guard.
    expect(routed).toHaveBeenCalledTimes(1);
  });

  it('leaves conditional requests to Express, which answers 304 for a matching ETag', async () => {
    const first = await get(recsUrl(ana), ana.auth).expect(200);
    await get(recsUrl(ana), ana.auth).set('if-none-match', first.headers['etag']).expect(304);
  });

  it('serves similar songs the same way and records every answer in the latency histogram', async () => {
    const url = '/v1/songs/t1/similar?k=2';
    const first = await get(url, ana.auth).expect(200);
    const second = await get(url, ana.auth).expect(200);
    expect(second.text).toBe(first.text);
    expect(recommender.calls).toBe(1);
    const metrics = await get('/metrics').expect(200);
    const count = new RegExp(
      String.raw`http_request_duration_seconds_count\{method="GET",route="/v1/songs/:id/similar",status_code="200"\} (\d+)`,
    ).exec(metrics.text);
    expect(Number(count?.[1])).toBe(2);
  });
});
