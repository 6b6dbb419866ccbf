import type { INestApplication } from '@nestjs/common';
import type { HealthDto, Page, SongDto } from '@encore/api-contract';
import { ConfigService } from '@nestjs/config';
import { InteractionStore } from '@encore/interaction-store';
import request from 'supertest';
import { CatalogService } from './catalog/catalog.service';
import { DemoListeners } from './store/demo-listeners';
import { startTestApp, temporaryDataDir, WORKSPACE_ROOT } from './testing/test-app';

// The default configuration, as `npm start` runs it from the repository root: the embedded sample catalog, SQLite,
// and the simulated demo listeners (DEMO_LISTENERS defaults to true without DATABASE_URL).
describe('default start-up with the embedded sample (e2e)', () => {
  const data = temporaryDataDir();
  let app: INestApplication;

  // Seeding ~38K demo events, training and saving the model: a few seconds, more on a busy machine.
  beforeAll(async () => {
    app = await startTestApp({ cwd: WORKSPACE_ROOT, env: { ENCORE_DATA_DIR: data.dir, DEMO_LISTENERS: undefined } });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    data.remove();
  });

  it('loads data/sample/catalog.csv: 4,708 songs in 114 genres', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect((res.body as HealthDto).catalog).toEqual({
      songs: 4708,
      genres: 114,
      // Relative to the working directory (the repository root in production), else the file name alone: never
      // an absolute path on a public endpoint.
      source: expect.stringMatching(/^(data\/sample\/)?catalog\.csv$/),
    });
  });

  it('finds songs by name and by artist', async () => {
    const love = (await request(app.getHttpServer()).get('/v1/songs?q=love&limit=5').expect(200)).body as Page<SongDto>;
    expect(love.total).toBeGreaterThan(5);
    expect(love.items).toHaveLength(5);
    expect(love.items[0].name.toLowerCase()).toContain('love');
    const genres = (await request(app.getHttpServer()).get('/v1/genres').expect(200)).body as {
      name: string;
      songs: number;
    }[];
    expect(genres).toHaveLength(114);
    const acoustic = (await request(app.getHttpServer()).get('/v1/songs?genre=acoustic&limit=100').expect(200))
      .body as Page<SongDto>;
    expect(acoustic.total).toBe(genres.find((g) => g.name === 'acoustic')?.songs);
    expect(acoustic.items.every((s) => s.genres.includes('acoustic'))).toBe(true);
  });

  it('seeds the demo listeners once: DEMO_SIMULATION (seed 42, 400 listeners) as sim-… users', async () => {
    const store = app.get(InteractionStore);
    const total = await store.countInteractions();
    expect(total).toBeGreaterThan(30_000);
    expect(total).toBeLessThan(50_000);
    expect(await store.countInteractions('sim-u0001')).toBeGreaterThanOrEqual(30);
    expect(await store.countInteractions('sim-u0400')).toBeGreaterThanOrEqual(30);
    expect(await store.countInteractions('sim-u0401')).toBe(0);
    const { items } = await store.history('sim-u0001', { limit: 50 });
    expect(new Set(items.map((i) => i.event))).toEqual(new Set(['play', 'like', 'skip']));
    for (const item of items) expect(item.weight).toBe({ play: 1, like: 4, skip: -1 }[item.event as string]);

    // What the next start would do: the store is not empty, so nothing is added.
    const nextStart = new DemoListeners(app.get(ConfigService), store, app.get(CatalogService));
    expect(await nextStart.ensureSeeded()).toBe(0);
    expect(await store.countInteractions()).toBe(total);
  });
});
