import type { INestApplication } from '@nestjs/common';
import type { HealthDto } from '@encore/api-contract';
import request from 'supertest';
import { FakeRecommender } from './testing/fake-recommender';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

describe('health and docs (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp({ env: { CATALOG_PATH: fixture.path } });
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  it('GET /health reports the loaded catalog', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200).expect('content-type', /json/);
    const body = res.body as HealthDto;
    expect(body).toEqual({
      status: 'ok',
      uptimeSeconds: expect.any(Number),
      // Only the file name of a catalog outside the working directory: /health is public.
      catalog: { songs: 11, genres: 7, source: 'catalog.csv' },
      checks: {
        catalog: { status: 'up', detail: '11 songs' },
        store: { status: 'up', detail: 'sqlite' },
        cache: { status: 'up', detail: 'memory' },
        recommender: { status: 'up', detail: expect.stringMatching(/^engine /) },
      },
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('serves the OpenAPI document with every route and the error schema', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    // Other feature modules add their own paths; these are the ones this suite's modules must document.
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/metrics',
        '/v1/genres',
        '/v1/songs',
        '/v1/songs/{id}',
        '/v1/auth/register',
        '/v1/auth/token',
        '/v1/auth/me',
        '/v1/auth/logout',
        '/v1/users/{id}',
        '/v1/users/{id}/interactions',
        '/v1/users/{id}/history',
        '/v1/admin/stats',
      ]),
    );
    expect(res.body.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    expect(res.body.paths['/v1/users/{id}/history'].get.security).toEqual([{ bearer: [] }]);
    expect(res.body.paths['/v1/songs'].get.security).toBeUndefined();
    const params = res.body.paths['/v1/songs'].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(params).toEqual(['genre', 'limit', 'page', 'q', 'sort']);
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(['ApiErrorSchema', 'SongSchema', 'SongPageSchema']),
    );
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('health of optional dependencies (e2e)', () => {
  const fixture = writeFixtureCatalog();
  afterAll(() => fixture.remove());

  it('is degraded (still 200) while the recommender is down, ok again once it recovers', async () => {
    const recommender = new FakeRecommender();
    const app = await startTestApp({ recommender, env: { CATALOG_PATH: fixture.path } });
    try {
      recommender.healthy = false;
      const down = await request(app.getHttpServer()).get('/health').expect(200);
      expect(down.body).toMatchObject({
        status: 'degraded',
        checks: { recommender: { status: 'down', detail: 'fake test' } },
      });
      recommender.healthy = true;
      const up = await request(app.getHttpServer()).get('/health').expect(200);
      expect(up.body).toMatchObject({ status: 'ok', checks: { recommender: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });
});

describe('CORS (e2e)', () => {
  const fixture = writeFixtureCatalog();
  afterAll(() => fixture.remove());

  it('is off by default and allows exactly the configured origins when CORS_ORIGIN is set', async () => {
    const closed = await startTestApp({ env: { CATALOG_PATH: fixture.path } });
    const open = await startTestApp({ env: { CATALOG_PATH: fixture.path, CORS_ORIGIN: 'http://localhost:5173' } });
    try {
      const none = await request(closed.getHttpServer()).get('/health').set('origin', 'http://localhost:5173');
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await request(open.getHttpServer()).get('/health').set('origin', 'http://localhost:5173');
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(allowed.headers['access-control-expose-headers']).toBe('x-request-id,retry-after');
      // A browser may send the bearer token: the preflight of an authenticated request passes without one.
      const preflight = await request(open.getHttpServer())
        .options('/v1/auth/me')
        .set('origin', 'http://localhost:5173')
        .set('access-control-request-method', 'GET')
        .set('access-control-request-headers', 'authorization,content-type')
        .expect(204);
      expect(preflight.headers['access-control-allow-headers']).toBe('authorization,content-type');
      const other = await request(open.getHttpServer()).get('/health').set('origin', 'http://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await Promise.all([closed.close(), open.close()]);
    }
  });
});
