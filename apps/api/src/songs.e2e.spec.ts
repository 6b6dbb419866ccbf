import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody, GenreDto, Page, SongDto } from '@encore/api-contract';
import request from 'supertest';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';

describe('songs API (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp({ env: { CATALOG_PATH: fixture.path } });
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  async function list(query: string): Promise<Page<SongDto>> {
    const res = await request(app.getHttpServer()).get(`/v1/songs${query}`).expect(200);
    return res.body as Page<SongDto>;
  }
  const idsOf = (page: Page<SongDto>) => page.items.map((s) => s.id);

  describe('GET /v1/songs', () => {
    it('lists every song by popularity with default paging', async () => {
      const page = await list('');
      expect({ total: page.total, page: page.page, limit: page.limit }).toEqual({ total: 11, page: 1, limit: 20 });
      expect(idsOf(page)).toEqual(['t1', 't3', 't2', 't5', 't11', 't4', 't7', 't6', 't10', 't9', 't8']);
    });

    it('returns songs in the contract shape, multi-valued fields split and merged', async () => {
      const page = await list('?q=crazy');
      expect(page.items).toEqual([
        {
          id: 't4',
          name: 'Crazy In Love',
          artists: ['Beyoncé', 'JAY-Z'],
          album: 'Dangerously In Love',
          genres: ['r-n-b', 'pop'],
          popularity: 70,
          durationMs: 236000,
          explicit: false,
          features: {
            danceability: 0.676,
            energy: 0.461,
            key: 1,
            loudness: -6.746,
            mode: 0,
            speechiness: 0.143,
            acousticness: 0.0322,
            instrumentalness: 1.01e-6,
            liveness: 0.358,
            valence: 0.715,
            tempo: 87.917,
            timeSignature: 4,
          },
        },
      ]);
    });

    it('searches name, artists and album case- and accent-insensitively, name matches first', async () => {
      // "love": exact name t2, name prefix t1 (90) then t3 (85), name contains t4.
      expect(idsOf(await list('?q=love'))).toEqual(['t2', 't1', 't3', 't4']);
      expect(idsOf(await list('?q=LOVE'))).toEqual(['t2', 't1', 't3', 't4']);
      expect(idsOf(await list('?q=beyonce'))).toEqual(['t5', 't4']);
      expect(idsOf(await list('?q=sigur%20ros'))).toEqual(['t8']);
      expect(idsOf(await list('?q=san%20francisco'))).toEqual(['t11']);
      expect(await list('?q=nothing-like-this')).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    });

    it('filters by one or several genres (any of them)', async () => {
      expect(idsOf(await list('?genre=pop'))).toEqual(['t1', 't3', 't11', 't4']);
      expect(idsOf(await list('?genre=jazz&genre=metal'))).toEqual(['t7', 't10', 't9']);
      expect(idsOf(await list('?genre=pop&q=love'))).toEqual(['t1', 't3', 't4']);
      expect((await list('?genre=polka')).total).toBe(0);
    });

    it('sorts by name or popularity', async () => {
      expect(idsOf(await list('?sort=name&limit=4'))).toEqual(['t4', 't5', 't11', 't8']);
      expect(idsOf(await list('?q=love&sort=popularity'))).toEqual(['t1', 't3', 't2', 't4']);
    });

    it('pages with page and limit, keeping the total', async () => {
      const second = await list('?page=2&limit=4');
      expect(second).toMatchObject({ total: 11, page: 2, limit: 4 });
      expect(idsOf(second)).toEqual(['t11', 't4', 't7', 't6']);
      expect(idsOf(await list('?page=3&limit=4'))).toEqual(['t10', 't9', 't8']);
      expect(await list('?page=9&limit=4')).toEqual({ items: [], total: 11, page: 9, limit: 4 });
    });
  });

  describe('GET /v1/songs/:id', () => {
    it('returns one song', async () => {
      const res = await request(app.getHttpServer()).get('/v1/songs/t8').expect(200);
      expect(res.body).toMatchObject({ id: 't8', name: 'Hoppípolla', artists: ['Sigur Rós'], genres: ['ambient'] });
    });

    it('answers 404 in the error shape for an unknown id', async () => {
      const res = await request(app.getHttpServer()).get('/v1/songs/nope').expect(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'song nope not found',
        details: [],
        requestId: res.headers['x-request-id'],
      } satisfies ApiErrorBody);
    });
  });

  describe('GET /v1/genres', () => {
    it('lists genres by name with song counts', async () => {
      const res = await request(app.getHttpServer()).get('/v1/genres').expect(200);
      expect(res.body as GenreDto[]).toEqual([
        { name: 'ambient', songs: 1 },
        { name: 'hip-hop', songs: 1 },
        { name: 'jazz', songs: 2 },
        { name: 'metal', songs: 1 },
        { name: 'pop', songs: 4 },
        { name: 'r-n-b', songs: 2 },
        { name: 'rock', songs: 1 },
      ]);
    });
  });
});
