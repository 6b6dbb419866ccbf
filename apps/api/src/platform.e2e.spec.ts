import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import { TEST_PASSWORD } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

describe('rate limits (e2e)', () => {
  const fixture = writeFixtureCatalog();
  afterAll(() => fixture.remove());

  it('counts a signed-in caller by account and an anonymous one by IP; 429 carries Retry-After and the error shape', async () => {
    const app = await startTestApp({ env: { CATALOG_PATH: fixture.path, RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const server: Server = app.getHttpServer();
      // Two anonymous requests from this IP: 3 of its 5 remain.
      const registered = await request(server)
        .post('/v1/auth/register')
        .send({ username: 'busy', password: TEST_PASSWORD });
      expect(registered.status).toBe(201);
      const token = await request(server)
        .post('/v1/auth/token')
        .send({ username: 'busy', password: TEST_PASSWORD })
        .expect(200);
      const auth = `Bearer ${token.body.accessToken}`;

      for (let i = 0; i < 5; i++) {
        const ok = await request(server).get('/v1/auth/me').set('authorization', auth).expect(200);
        expect(ok.headers['x-ratelimit-limit']).toBe('5');
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const limited = await request(server).get('/v1/songs?limit=1').set('authorization', auth).expect(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many requests; retry after the time in the Retry-After header',
        details: [],
        requestId: limited.headers['x-request-id'],
      });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);

      // The same IP without the token has its own budget left.
      for (let i = 0; i < 3; i++) await request(server).get('/v1/songs?limit=1').expect(200);
      await request(server).get('/v1/songs?limit=1').expect(429);
      // Probes and scrapes are never limited.
      await request(server).get('/health').expect(200);
      await request(server).get('/metrics').expect(200);
    } finally {
      await app.close();
    }
  });

  it('limits register/token attempts per IP more tightly than other requests', async () => {
    const app = await startTestApp({ env: { CATALOG_PATH: fixture.path, RATE_LIMIT_PER_MINUTE: '200' } });
    try {
      const server: Server = app.getHttpServer();
      // 200 / 20 = 10 credential attempts per minute.
      for (let i = 0; i < 10; i++) {
        await request(server)
          .post('/v1/auth/token')
          .send({ username: 'victim', password: `guess-number-${i}` })
          .expect(401);
      }
      await request(server).post('/v1/auth/token').send({ username: 'victim', password: 'guess-number-x' }).expect(429);
      await request(server).post('/v1/auth/register').send({ username: 'late', password: TEST_PASSWORD }).expect(429);
      // Browsing from the same IP is unaffected.
      await request(server).get('/v1/genres').expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('security headers and metrics (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;
  let server: Server;

  beforeAll(async () => {
    app = await startTestApp({ env: { CATALOG_PATH: fixture.path } });
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  it('sends helmet headers and no x-powered-by', async () => {
    for (const path of ['/v1/songs?limit=1', '/v1/nothing', '/health']) {
      const res = await request(server).get(path);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    }
  });

  it('still serves the Swagger UI under the content security policy (no inline scripts)', async () => {
    const html = (await request(server).get('/docs').redirects(1).expect(200)).text;
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
    await request(server).get('/docs/swagger-ui-init.js').expect(200);
  });

  it('exposes Prometheus metrics: latency by route pattern, cache counters, process metrics', async () => {
    const scrape = async () =>
      (
        await request(server)
          .get('/metrics')
          .expect(200)
          .expect('content-type', /^text\/plain.*version=0\.0\.4/)
      ).text;
    const count = (text: string, route: string, status: number) => {
      const line = `http_request_duration_seconds_count{method="GET",route="${route}",status_code="${status}"} `;
      const at = text.indexOf(line);
      return at < 0 ? 0 : Number.parseInt(text.slice(at + line.length), 10);
    };
    const before = await scrape();
    await request(server).get('/v1/songs/t1').expect(200);
    await request(server).get('/v1/songs/t2').expect(200);
    await request(server).get('/v1/songs/missing').expect(404);
    await request(server).get('/no/such/route').expect(404);
    await request(server).get('/v1/auth/me').expect(401);
    const text = await scrape();
    const delta = (route: string, status: number) => count(text, route, status) - count(before, route, status);
    expect(delta('/v1/songs/:id', 200)).toBe(2);
    expect(delta('/v1/songs/:id', 404)).toBe(1);
    // Unmatched paths share one label value, so they cannot blow up the series count.
    expect(delta('(none)', 404)).toBe(1);
    expect(text).not.toContain('/no/such/route');
    expect(delta('/v1/auth/me', 401)).toBe(1);
    for (const name of [
      'encore_cache_hits_total',
      'encore_cache_misses_total',
      'encore_cache_errors_total',
      'encore_store_errors_total',
      'encore_interactions_accepted_total',
      'encore_provider_errors_total',
      'encore_model_info',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
