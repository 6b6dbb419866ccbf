import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody } from '@encore/api-contract';
import request from 'supertest';
import { ConfigurationError } from './config/environment';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('errors, validation and request ids (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp({ env: { CATALOG_PATH: fixture.path } });
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  async function badRequest(query: string): Promise<ApiErrorBody> {
    const res = await request(app.getHttpServer()).get(`/v1/songs${query}`).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: res.headers['x-request-id'] });
    return res.body as ApiErrorBody;
  }

  it('rejects limit=1000 naming the field', async () => {
    const body = await badRequest('?limit=1000');
    expect(body.message).toBe('limit must not be greater than 100');
    expect(body.details).toEqual([{ field: 'limit', message: 'must not be greater than 100' }]);
  });

  it.each([
    ['?limit=0', 'limit', 'must not be less than 1'],
    ['?limit=ten', 'limit', 'must be an integer number'],
    ['?page=0', 'page', 'must not be less than 1'],
    ['?page=1.5', 'page', 'must be an integer number'],
    ['?sort=random', 'sort', 'must be one of the following values: relevance, popularity, name'],
    ['?q=a&q=b', 'q', 'must be a string'],
  ])('rejects %s naming %s', async (query, field, message) => {
    const body = await badRequest(query);
    expect(body.details[0].field).toBe(field);
    expect(body.details.map((d) => d.message)).toContain(message);
  });

  it('rejects an unknown query parameter naming it', async () => {
    const body = await badRequest('?limit=5&colour=blue');
    expect(body.details).toEqual([{ field: 'colour', message: 'should not exist' }]);
    expect(body.message).toBe('colour should not exist');
  });

  it('answers unknown routes and methods with a 404 in the error shape', async () => {
    const res = await request(app.getHttpServer()).get('/v1/nothing-here').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /v1/nothing-here',
      details: [],
      requestId: res.headers['x-request-id'],
    });
    const post = await request(app.getHttpServer()).post('/v1/songs').send({}).expect(404);
    expect(post.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: 'Cannot POST /v1/songs' });
    const root = await request(app.getHttpServer()).get('/').expect(404);
    expect(root.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  describe('x-request-id', () => {
    it('echoes a sane incoming id in the header and in error bodies', async () => {
      const ok = await request(app.getHttpServer()).get('/health').set('x-request-id', 'trace-42.a:b_c').expect(200);
      expect(ok.headers['x-request-id']).toBe('trace-42.a:b_c');
      const bad = await request(app.getHttpServer())
        .get('/v1/songs?limit=0')
        .set('x-request-id', 'abc-123')
        .expect(400);
      expect(bad.headers['x-request-id']).toBe('abc-123');
      expect(bad.body.requestId).toBe('abc-123');
    });

    it('replaces a missing or unsafe id with a fresh UUID', async () => {
      const none = await request(app.getHttpServer()).get('/health').expect(200);
      expect(none.headers['x-request-id']).toMatch(UUID);
      const unsafe = await request(app.getHttpServer()).get('/health').set('x-request-id', 'a b<script>').expect(200);
      expect(unsafe.headers['x-request-id']).toMatch(UUID);
      const long = await request(app.getHttpServer()).get('/health').set('x-request-id', 'x'.repeat(129)).expect(200);
      expect(long.headers['x-request-id']).toMatch(UUID);
      const again = await request(app.getHttpServer()).get('/health').expect(200);
      expect(again.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
    });
  });

  it('refuses to start on a bad variable, naming it', async () => {
    await expect(startTestApp({ logger: false, env: { CATALOG_PATH: fixture.path, PORT: 'eighty' } })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(startTestApp({ logger: false, env: { CATALOG_PATH: fixture.path, PORT: 'eighty' } })).rejects.toThrow(
      /PORT must be an integer/,
    );
    await expect(startTestApp({ logger: false, env: { CATALOG_PATH: `${fixture.dir}/missing.csv` } })).rejects.toThrow(
      /CATALOG_PATH file not found/,
    );
  });
});
