import type { INestApplication } from '@nestjs/common';
import type { AdminStatsDto, ApiErrorBody, RecommendationsDto, SongDto } from '@encore/api-contract';
import { InteractionStore } from '@encore/interaction-store';
import type { Server } from 'node:http';
import request from 'supertest';
import { CatalogService } from './catalog/catalog.service';
import { signIn, signUp, type SignedInUser } from './testing/accounts';
import { startTestApp, WORKSPACE_ROOT } from './testing/test-app';

const ADMIN = { username: 'boss', password: 'boss-password-1' };
const LISTENER = 'sim-u0001';
// Start-up reads the sample, simulates and stores ~38K demo events and trains the engine: a few seconds.
const START_TIMEOUT_MS = 60_000;

// The embedded sample (4,708 songs) with the seeded demo listeners in SQLite, the engine trained at start.
describe('recommendations with the engine (e2e)', () => {
  let app: INestApplication;
  let server: Server;
  let admin: SignedInUser;

  beforeAll(async () => {
    app = await startTestApp({
      cwd: WORKSPACE_ROOT,
      env: {
        DEMO_LISTENERS: 'true',
        RATE_LIMIT_PER_MINUTE: '100000',
        ENCORE_ADMIN_USER: ADMIN.username,
        ENCORE_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    server = app.getHttpServer();
    admin = await signIn(server, ADMIN.username, ADMIN.password);
  }, START_TIMEOUT_MS);
  afterAll(() => app.close());

  const catalog = () => app.get(CatalogService).catalog;
  const genresOf = (id: string) => catalog().genresOf(catalog().indexOf(id));
  const ids = (r: RecommendationsDto) => r.items.map((i) => i.id);

  async function recs(query = '', user = LISTENER, auth = admin.auth): Promise<RecommendationsDto> {
    const res = await request(server).get(`/v1/users/${user}/recommendations${query}`).set('authorization', auth);
    expect(res.status).toBe(200);
    return res.body as RecommendationsDto;
  }

  async function feedback(events: { songId: string; event: string }[], user = LISTENER): Promise<void> {
    await request(server)
      .post(`/v1/users/${user}/interactions`)
      .set('authorization', admin.auth)
      .send({ events })
      .expect(201);
  }

  async function cacheStats(): Promise<AdminStatsDto['cache']> {
    const res = await request(server).get('/v1/admin/stats').set('authorization', admin.auth).expect(200);
    return (res.body as AdminStatsDto).cache;
  }

  async function history(user: string): Promise<string[]> {
    const page = await app.get(InteractionStore).history(user, { limit: 1000 });
    return page.items.map((i) => i.songId);
  }

  it('recommends k unseen songs for a demo listener, each as a song with a score and a reason', async () => {
    const r = await recs('?k=10');
    expect(r.provider).toBe('engine');
    expect(r.modelVersion).toMatch(/^engine-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(r.fallback).toBeUndefined();
    expect(r.items).toHaveLength(10);
    const seen = new Set(await history(LISTENER));
    for (const [i, item] of r.items.entries()) {
      expect(item).toMatchObject({ id: expect.any(String), name: expect.any(String), genres: expect.any(Array) });
      expect(item.reason.text.length).toBeGreaterThan(0);
      expect(seen.has(item.id)).toBe(false);
      if (i > 0) expect(item.score).toBeLessThanOrEqual(r.items[i - 1].score);
    }
    // A listener with history gets personal reasons, naming songs they played.
    expect(
      r.items.some((i) => /^Because you (liked|played) /.test(i.reason.text) || /^Sounds like /.test(i.reason.text)),
    ).toBe(true);
  });

  it('honours exclude, genre, excludeGenre, maxPerArtist and mmr', async () => {
    const base = await recs('?k=10');
    const [a, b] = ids(base);
    const excluded = await recs(`?k=10&exclude=${a}&exclude=${b}`);
    expect(excluded.items).toHaveLength(10);
    expect(ids(excluded)).not.toContain(a);
    expect(ids(excluded)).not.toContain(b);

    const jazz = await recs('?k=8&genre=jazz&genre=blues');
    expect(jazz.items).toHaveLength(8);
    for (const item of jazz.items) expect(item.genres.some((g) => g === 'jazz' || g === 'blues')).toBe(true);

    const topGenre = base.items[0].genres[0];
    const without = await recs(`?k=10&excludeGenre=${topGenre}`);
    expect(without.items).toHaveLength(10);
    for (const item of without.items) expect(item.genres).not.toContain(topGenre);

    const capped = await recs('?k=15&maxPerArtist=1');
    const artists = capped.items.map((i) => i.artists[0]);
    expect(new Set(artists).size).toBe(artists.length);

    const varied = await recs('?k=10&mmr=0.3');
    expect(varied.items).toHaveLength(10);
    expect(new Set(varied.items.map((i) => i.genres[0])).size).toBeGreaterThanOrEqual(
      new Set(base.items.map((i) => i.genres[0])).size,
    );
  });

  it('serves the other strategies', async () => {
    const popular = await recs('?k=5&strategy=popular');
    expect(popular.items.every((i) => i.reason.source === 'popularity')).toBe(true);
    const content = await recs('?k=5&strategy=content');
    expect(content.items.every((i) => i.reason.source === 'content')).toBe(true);
    const cf = await recs('?k=5&strategy=cf');
    expect(cf.items.every((i) => ['als', 'item-knn'].includes(i.reason.source))).toBe(true);
  });

  it('moves towards a genre the listener starts liking, and drops a disliked song for good', async () => {
    const played = new Set((await history(LISTENER)).flatMap(genresOf));
    // A genre this listener never played, with songs that carry no genre they did play.
    const fresh = catalog().genreNames.find((g) => !played.has(g) && g !== 'jazz') as string;
    const songs = (await request(server).get(`/v1/songs?genre=${fresh}&limit=50`).expect(200)).body.items as SongDto[];
    const pure = songs.filter((s) => s.genres.every((g) => !played.has(g))).slice(0, 5);
    expect(pure).toHaveLength(5);
    const before = await recs('?k=20');
    expect(before.items.filter((i) => i.genres.includes(fresh))).toHaveLength(0);

    await feedback(pure.map((s) => ({ songId: s.id, event: 'like' })));
    const after = await recs('?k=20');
    const newGenre = after.items.filter((i) => i.genres.includes(fresh));
    expect(newGenre.length).toBeGreaterThanOrEqual(2);
    for (const s of pure) expect(ids(after)).not.toContain(s.id);

    const top = after.items[0].id;
    await feedback([{ songId: top, event: 'dislike' }]);
    expect(ids(await recs('?k=50'))).not.toContain(top);
    await feedback([{ songId: pure[0].id, event: 'play' }]);
    for (const strategy of ['hybrid', 'cf', 'content', 'popular'])
      expect(ids(await recs(`?k=50&strategy=${strategy}`))).not.toContain(top);
  });

  it('answers a repeated request from the cache and recomputes after feedback', async () => {
    const first = await recs('?k=7&strategy=hybrid');
    const stats1 = await cacheStats();
    const second = await recs('?k=7&strategy=hybrid');
    const stats2 = await cacheStats();
    expect(second).toEqual(first);
    expect(stats2.hits).toBe(stats1.hits + 1);

    await feedback([{ songId: first.items[0].id, event: 'skip' }]);
    const stats3 = await cacheStats();
    const third = await recs('?k=7&strategy=hybrid');
    const stats4 = await cacheStats();
    expect(stats4.hits).toBe(stats3.hits);
    expect(stats4.misses).toBe(stats3.misses + 1);
    expect(ids(third)).not.toContain(first.items[0].id);
  });

  it('finds similar songs for anyone, without the song itself, mostly of its genres', async () => {
    const seed = catalog().ids[catalog().genreOffsets.length > 0 ? 100 : 0];
    const res = await request(server).get(`/v1/songs/${seed}/similar?k=10`).expect(200);
    const r = res.body as RecommendationsDto;
    expect(r.items).toHaveLength(10);
    expect(ids(r)).not.toContain(seed);
    const seedGenres = genresOf(seed);
    const shared = r.items.filter((i) => i.genres.some((g) => seedGenres.includes(g)));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    expect(r.items[0].reason).toMatchObject({
      seedSongId: seed,
      text: expect.stringMatching(/^(Sounds like|Listeners who play) /),
    });

    const excluded = (await request(server).get(`/v1/songs/${seed}/similar?k=10&exclude=${r.items[0].id}`).expect(200))
      .body as RecommendationsDto;
    expect(ids(excluded)).not.toContain(r.items[0].id);

    const missing = await request(server).get('/v1/songs/no-such-song/similar').expect(404);
    expect((missing.body as ApiErrorBody).message).toBe('song no-such-song not found');
  });

  it('recommends for a guest session from liked songs, without an account', async () => {
    const jazz = (await request(server).get('/v1/songs?genre=jazz&limit=3').expect(200)).body.items as SongDto[];
    const res = await request(server)
      .post('/v1/recommendations/session')
      .send({ likedSongIds: jazz.map((s) => s.id), k: 6 })
      .expect(200);
    const r = res.body as RecommendationsDto;
    expect(r.items).toHaveLength(6);
    for (const s of jazz) expect(ids(r)).not.toContain(s.id);
    expect(r.items.every((i) => i.reason.text.length > 0)).toBe(true);

    const bad = await request(server)
      .post('/v1/recommendations/session')
      .send({ likedSongIds: [jazz[0].id, 'nope'], k: 3 })
      .expect(400);
    expect((bad.body as ApiErrorBody).details).toEqual([{ field: 'likedSongIds[1]', message: 'unknown song id nope' }]);
  });

  it('names the offending field of a bad request', async () => {
    const cases: [string, string, string][] = [
      ['?k=0', 'k', 'must not be less than 1'],
      ['?k=101', 'k', 'must not be greater than 100'],
      ['?k=ten', 'k', 'must be an integer number'],
      ['?strategy=magic', 'strategy', 'must be one of the following values: hybrid, cf, content, popular'],
      ['?genre=polka-dots', 'genre', 'unknown genre "polka-dots" (see GET /v1/genres)'],
      ['?excludeGenre=nope', 'excludeGenre', 'unknown genre "nope" (see GET /v1/genres)'],
      ['?mmr=2', 'mmr', 'must not be greater than 1'],
      ['?maxPerArtist=0', 'maxPerArtist', 'must not be less than 1'],
      ['?colour=blue', 'colour', 'should not exist'],
    ];
    for (const [query, field, message] of cases) {
      const res = await request(server)
        .get(`/v1/users/${LISTENER}/recommendations${query}`)
        .set('authorization', admin.auth);
      expect({ query, status: res.status, details: (res.body as ApiErrorBody).details }).toEqual({
        query,
        status: 400,
        details: expect.arrayContaining([{ field, message }]),
      });
    }
    const similar = await request(server).get(`/v1/songs/${catalog().ids[0]}/similar?k=1000`).expect(400);
    expect((similar.body as ApiErrorBody).details[0].field).toBe('k');
    const session = await request(server).post('/v1/recommendations/session').send({ k: 3 }).expect(400);
    expect((session.body as ApiErrorBody).details[0].field).toBe('likedSongIds');
  });

  it("lets only the owner or an admin read a listener's recommendations", async () => {
    await request(server).get(`/v1/users/${LISTENER}/recommendations`).expect(401);
    const ada = await signUp(server, 'ada');
    await request(server).get(`/v1/users/${LISTENER}/recommendations`).set('authorization', ada.auth).expect(403);
    // A brand-new account has no history: what is popular.
    const own = await recs('?k=5', ada.id, ada.auth);
    expect(own.items).toHaveLength(5);
    expect(own.items.every((i) => i.reason.source === 'popularity' && i.reason.text === 'Popular right now')).toBe(
      true,
    );
  });

  it('reports the served model in health and metrics', async () => {
    const health = await request(server).get('/health').expect(200);
    expect(health.body.checks.recommender).toEqual({ status: 'up', detail: expect.stringMatching(/^engine engine-/) });
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/encore_model_info\{provider="engine",version="engine-[^"]+"\} 1/);
  });
});
