import type { INestApplication } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

const INDEX_HTML = '<!doctype html><title>Encore</title><div id="root"></div>';

describe('dashboard served from the API port (e2e)', () => {
  const fixture = writeFixtureCatalog();
  const dashboardDir = join(fixture.dir, 'dashboard');
  let app: INestApplication;

  beforeAll(async () => {
    mkdirSync(join(dashboardDir, 'assets'), { recursive: true });
    writeFileSync(join(dashboardDir, 'index.html'), INDEX_HTML);
    writeFileSync(join(dashboardDir, 'assets/index-abc123.js'), 'console.log("encore")');
    writeFileSync(join(dashboardDir, 'favicon.svg'), '<svg/>');
    app = await startTestApp({ env: { CATALOG_PATH: fixture.path, DASHBOARD_DIR: dashboardDir } });
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  it('serves index.html at / and for client-side routes', async () => {
    for (const path of ['/', '/songs', '/songs/t1?tab=similar', '/index.html']) {
      const res = await request(app.getHttpServer()).get(path).expect(200).expect('content-type', /html/);
      expect(res.text).toBe(INDEX_HTML);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves built files, hashed assets cached for good', async () => {
    const js = await request(app.getHttpServer())
      .get('/assets/index-abc123.js')
      .expect(200)
      .expect('content-type', /javascript/);
    expect(js.text).toBe('console.log("encore")');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(app.getHttpServer()).get('/favicon.svg').expect(200).expect('content-type', /svg/);
  });

  it('leaves API paths and missing files to the API (JSON 404s)', async () => {
    for (const path of ['/v1/unknown', '/v2/songs', '/assets/missing.js', '/health/deep', '/docs/nothing']) {
      const res = await request(app.getHttpServer()).get(path).expect(404).expect('content-type', /json/);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    await request(app.getHttpServer()).get('/health').expect(200).expect('content-type', /json/);
    await request(app.getHttpServer()).get('/v1/songs?limit=1').expect(200).expect('content-type', /json/);
    await request(app.getHttpServer())
      .get('/metrics')
      .expect(200)
      .expect('content-type', /^text\/plain/);
    // Protected API routes answer 401 in the error shape, never the SPA page.
    const me = await request(app.getHttpServer()).get('/v1/auth/me').expect(401).expect('content-type', /json/);
    expect(me.body).toMatchObject({ statusCode: 401, message: 'missing bearer token' });
  });

  it('does not serve files outside the dashboard directory', async () => {
    const res = await request(app.getHttpServer()).get('/..%2Fcatalog.csv');
    expect(res.text).not.toContain('track_id');
    const dotted = await request(app.getHttpServer()).get('/%2e%2e/catalog.csv');
    expect(dotted.text).not.toContain('track_id');
  });

  it('only answers GET and HEAD', async () => {
    await request(app.getHttpServer()).post('/songs').expect(404).expect('content-type', /json/);
    await request(app.getHttpServer()).head('/').expect(200);
  });
});
