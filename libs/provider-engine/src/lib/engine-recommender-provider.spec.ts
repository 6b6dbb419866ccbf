import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { UnknownSongError, type RecommendationResult } from '@encore/recommender-port';
import { CONTRACT_FACTS } from '@encore/recommender-port/testing';
import { contractCatalog, contractEngineProvider, contractInteractions } from '../testing';
import { readInteractions, trainEngineModel } from './engine-model';
import { EngineRecommenderProvider } from './engine-recommender-provider';

const ids = (r: RecommendationResult) => r.items.map((i) => i.songId);
const genreOf = (id: string) => CONTRACT_FACTS.genresOf(id)[0];
const countGenre = (r: RecommendationResult, genre: string) => ids(r).filter((id) => genreOf(id) === genre).length;
const now = Date.UTC(2026, 0, 1);

describe('EngineRecommenderProvider', () => {
  describe('lists and reasons', () => {
    it('explains collaborative picks with the seed song the listener liked or played', async () => {
      const p = await contractEngineProvider();
      const r = await p.recommend({ userId: 'u0', k: 6 });
      expect(r.items).toHaveLength(6);
      const seeded = r.items.filter((i) => i.reason.seedSongId !== undefined);
      expect(seeded.length).toBeGreaterThan(0);
      for (const item of seeded) {
        // u0 liked s00 and only played s01/s02: the verb follows what they did.
        expect(['s00', 's01', 's02']).toContain(item.reason.seedSongId);
        const verb = item.reason.seedSongId === 's00' ? 'liked' : 'played';
        expect(item.reason.text).toMatch(new RegExp(`(Because you ${verb}|, which you ${verb}$)`));
        expect(item.reason.text).toContain(
          item.reason.seedSongId === 's00' ? 'Rock song 0 by rock-artist-a' : 'by rock-artist-a',
        );
      }
    });

    it('tells a newcomer what is popular, overall or in the requested genre', async () => {
      const p = await contractEngineProvider();
      const overall = await p.recommend({ userId: 'newcomer', k: 3 });
      expect(ids(overall)).toEqual(['s00', 's16', 's08']);
      expect(overall.items.map((i) => i.reason)).toEqual([
        { source: 'popularity', text: 'Popular right now' },
        { source: 'popularity', text: 'Popular right now' },
        { source: 'popularity', text: 'Popular right now' },
      ]);
      const jazz = await p.recommend({ userId: 'newcomer', k: 2, genres: ['jazz'] });
      // s08 has 4 listeners, s09 2: the jazz ranking.
      expect(ids(jazz)).toEqual(['s08', 's09']);
      expect(jazz.items[0].reason).toEqual({ source: 'popularity', genre: 'jazz', text: 'Popular in jazz' });
    });

    it('serves each strategy from its own components', async () => {
      const p = await contractEngineProvider();
      const popular = await p.recommend({ userId: 'u0', k: 3, strategy: 'popular' });
      // The popularity ranking without what u0 has seen (s00, s01).
      expect(ids(popular).slice(0, 2)).toEqual(['s16', 's08']);
      const content = await p.recommend({ userId: 'u0', k: 4, strategy: 'content' });
      expect(content.items.every((i) => i.reason.source === 'content')).toBe(true);
      // The three rock songs u0 has not seen (s03, s04, s06) come first.
      expect(ids(content).slice(0, 3).sort()).toEqual(['s03', 's04', 's06']);
      const cf = await p.recommend({ userId: 'u0', k: 2, strategy: 'cf' });
      expect(cf.items.every((i) => ['als', 'item-knn'].includes(i.reason.source))).toBe(true);
    });

    it('never returns a song the listener disliked before training, whatever the strategy or k', async () => {
      const p = await contractEngineProvider();
      for (const strategy of ['hybrid', 'cf', 'content', 'popular'] as const) {
        const r = await p.recommend({ userId: 'u0', k: 100, strategy });
        expect(ids(r)).not.toContain('s07');
        // Everything else u0 has not seen: 24 songs − s00, s01, s02, s05, s07.
        expect(r.items).toHaveLength(19);
      }
    });

    it('caps songs per artist and spreads the list with MMR', async () => {
      const p = await contractEngineProvider();
      const capped = await p.recommend({ userId: 'u0', k: 6, diversity: { maxPerArtist: 1 } });
      const artists = ids(capped).map((id) => contractCatalog().artistsOf(contractCatalog().indexOf(id))[0]);
      expect(new Set(artists).size).toBe(artists.length);
      const plain = await p.recommend({ userId: 'u0', k: 3, strategy: 'content' });
      const spread = await p.recommend({ userId: 'u0', k: 3, strategy: 'content', diversity: { mmrLambda: 0.2 } });
      expect(new Set(ids(plain).map(genreOf)).size).toBe(1);
      expect(new Set(ids(spread).map(genreOf)).size).toBeGreaterThan(1);
      for (let i = 1; i < spread.items.length; i++)
        expect(spread.items[i].score).toBeLessThanOrEqual(spread.items[i - 1].score);
    });

    it('bounds k and rejects bad requests with clear messages', async () => {
      const p = await contractEngineProvider({ maxK: 5 });
      expect((await p.recommend({ userId: 'u0', k: 0 })).items).toEqual([]);
      expect((await p.recommend({ userId: 'u0', k: 50 })).items).toHaveLength(5);
      await expect(p.recommend({ userId: 'u0', k: -1 })).rejects.toThrow('k must be a non-negative integer, got -1');
      await expect(p.recommend({ userId: 'u0', k: 2, strategy: 'magic' as 'cf' })).rejects.toThrow(
        'unknown strategy "magic"',
      );
    });

    it('refuses to answer before start(), then reads a lazily given catalog when it trains', async () => {
      let loaded: Catalog | null = null;
      const p = new EngineRecommenderProvider({ catalog: () => loaded as Catalog, interactions: () => [] });
      await expect(p.recommend({ userId: 'u0', k: 2 })).rejects.toThrow('start() has not finished');
      expect(await p.health()).toEqual({ ok: false, provider: 'engine', detail: 'model not trained yet' });
      loaded = contractCatalog();
      await p.start();
      expect(await p.health()).toMatchObject({
        ok: true,
        detail: expect.stringMatching(/^0 listeners, 24 songs, 0 events; trained in \d+ ms$/),
      });
    });
  });

  describe('feedback', () => {
    it('shifts the next list towards a genre the listener starts liking', async () => {
      const p = await contractEngineProvider();
      const before = await p.recommend({ userId: 'u0', k: 6 });
      await p.recordInteractions('u0', [
        { songId: 's17', event: 'like', timestamp: now },
        { songId: 's18', event: 'like', timestamp: now },
        { songId: 's19', event: 'like', timestamp: now },
        { songId: 's20', event: 'like', timestamp: now },
      ]);
      const after = await p.recommend({ userId: 'u0', k: 6 });
      expect(countGenre(after, 'pop')).toBeGreaterThan(countGenre(before, 'pop'));
      for (const liked of ['s17', 's18', 's19', 's20']) expect(ids(after)).not.toContain(liked);
    });

    it("gives a known listener's fresh likes their share of the list, however long their history", async () => {
      // Share 0.5: every other slot, starting with the first, comes from the fresh likes alone.
      const p = await contractEngineProvider({ recentSharePerLike: 0.5, recentShareMax: 0.5 });
      await p.recordInteractions('u0', [
        { songId: 's09', event: 'like', timestamp: now },
        { songId: 's10', event: 'like', timestamp: now },
      ]);
      const r = await p.recommend({ userId: 'u0', k: 6 });
      expect(genreOf(r.items[0].songId)).toBe('jazz');
      expect(['s09', 's10']).toContain(r.items[0].reason.seedSongId);
      expect(countGenre(r, 'jazz')).toBeGreaterThanOrEqual(3);
    });

    it('folds a brand-new listener in from their first likes', async () => {
      const p = await contractEngineProvider();
      await p.recordInteractions('fresh', [
        { songId: 's09', event: 'like', timestamp: now },
        { songId: 's10', event: 'like', timestamp: now },
        { songId: 's11', event: 'like', timestamp: now },
      ]);
      const r = await p.recommend({ userId: 'fresh', k: 3 });
      expect(countGenre(r, 'jazz')).toBe(3);
      expect(r.items.some((i) => ['s09', 's10', 's11'].includes(i.reason.seedSongId ?? ''))).toBe(true);
    });

    it('drops a disliked song for good: after more feedback and after retraining', async () => {
      const events = contractInteractions();
      const p = new EngineRecommenderProvider({
        catalog: contractCatalog(),
        interactions: () => events,
        model: { als: { factors: 4, iterations: 5, regularization: 0.1 } },
      });
      await p.start();
      const top = ids(await p.recommend({ userId: 'u0', k: 1 }))[0];
      await p.recordInteractions('u0', [{ songId: top, event: 'dislike', timestamp: now }]);
      expect(ids(await p.recommend({ userId: 'u0', k: 19 }))).not.toContain(top);
      // A like after the dislike does not bring it back either.
      await p.recordInteractions('u0', [{ songId: top, event: 'like', timestamp: now + 1 }]);
      expect(ids(await p.recommend({ userId: 'u0', k: 19 }))).not.toContain(top);
      // Retrained on a log that holds the dislike: still gone, in every strategy.
      events.push({ userId: 'u0', songId: top, event: 'dislike', timestamp: now });
      await p.train();
      for (const strategy of ['hybrid', 'cf', 'content', 'popular'] as const)
        expect(ids(await p.recommend({ userId: 'u0', k: 19, strategy }))).not.toContain(top);
    });

    it('pushes look-alikes of a disliked song down', async () => {
      const p = await contractEngineProvider();
      await p.recordInteractions('mixed', [
        { songId: 's01', event: 'like', timestamp: now },
        { songId: 's17', event: 'like', timestamp: now },
      ]);
      const rank = (r: RecommendationResult, genre: string) =>
        ids(r).reduce((sum, id, i) => sum + (genreOf(id) === genre ? i : 0), 0) / Math.max(1, countGenre(r, genre));
      const before = await p.recommend({ userId: 'mixed', k: 12, strategy: 'content' });
      await p.recordInteractions('mixed', [{ songId: 's18', event: 'dislike', timestamp: now }]);
      const after = await p.recommend({ userId: 'mixed', k: 12, strategy: 'content' });
      expect(ids(after)).not.toContain('s18');
      // Pop songs (like s18) move down the list, rock songs up.
      expect(rank(after, 'pop')).toBeGreaterThan(rank(before, 'pop'));
      expect(
        ids(after)
          .slice(0, 3)
          .every((id) => genreOf(id) === 'rock'),
      ).toBe(true);
    });

    it('forgets live events a retrained model already holds, but keeps dislikes', async () => {
      const events = contractInteractions();
      const p = new EngineRecommenderProvider({
        catalog: contractCatalog(),
        interactions: () => events,
        model: { als: { factors: 4, iterations: 5, regularization: 0.1 } },
      });
      await p.start();
      await p.recordInteractions('late', [{ songId: 's09', event: 'like', timestamp: now }]);
      expect(p.feedbackSequence).toBe(1);
      const folded = await p.recommend({ userId: 'late', k: 2 });
      expect(ids(folded)).not.toContain('s09');
      // Retraining without the event in the log: the live event is dropped, so 'late' is a newcomer again.
      await p.train();
      expect(ids(await p.recommend({ userId: 'late', k: 3 }))).toEqual(['s00', 's16', 's08']);
    });
  });

  describe('similar songs', () => {
    it('ranks look-alikes of the seed first, without the seed, saying why', async () => {
      const p = await contractEngineProvider();
      const r = await p.similar({ songId: 's09', k: 5 });
      expect(ids(r)).not.toContain('s09');
      expect(r.items).toHaveLength(5);
      expect(countGenre(r, 'jazz')).toBe(5);
      expect(r.items[0].reason).toMatchObject({ seedSongId: 's09' });
      expect(r.items.map((i) => i.reason.text)).toContain('Sounds like Jazz song 1 by jazz-artist-a');
    });

    it('leaves out the same recording under another id, and excluded ids', async () => {
      const songs = [
        songFixture('a', { name: 'Hello', artists: ['X'], genres: ['pop'] }),
        songFixture('a-remaster', { name: 'hello ', artists: ['X'], genres: ['pop'] }),
        songFixture('b', { name: 'Hello', artists: ['Y'], genres: ['pop'] }),
        songFixture('c', { name: 'Other', artists: ['X'], genres: ['pop'] }),
        songFixture('d', { name: 'Else', artists: ['Z'], genres: ['pop'] }),
      ];
      const p = new EngineRecommenderProvider({ catalog: Catalog.fromSongs(songs), interactions: () => [] });
      await p.start();
      const r = await p.similar({ songId: 'a', k: 10, exclude: ['d'] });
      expect(ids(r).sort()).toEqual(['b', 'c']);
    });

    it('throws UnknownSongError for a song outside the catalog', async () => {
      const p = await contractEngineProvider();
      await expect(p.similar({ songId: 'nope', k: 3 })).rejects.toBeInstanceOf(UnknownSongError);
    });
  });

  describe('guest sessions', () => {
    it('recommends around the liked songs, ignoring ids it does not know', async () => {
      const p = await contractEngineProvider();
      const r = await p.recommendForSession({ likedSongIds: ['s16', 's17', 'not-a-song'], k: 4 });
      expect(ids(r)).not.toContain('s16');
      expect(ids(r)).not.toContain('s17');
      expect(countGenre(r, 'pop')).toBeGreaterThanOrEqual(3);
      const none = await p.recommendForSession({ likedSongIds: ['not-a-song'], k: 2, genres: ['rock'] });
      expect(ids(none)).toEqual(['s00', 's01']);
    });
  });

  describe('models', () => {
    it('versions a model by training time and a fingerprint of its data', () => {
      const catalog = contractCatalog();
      const interactions = contractInteractions();
      const a = trainEngineModel({ catalog, interactions, now: Date.UTC(2026, 10, 25, 11, 59, 58, 123) });
      const b = trainEngineModel({ catalog, interactions, now: Date.UTC(2026, 10, 25, 12, 0, 0) });
      const c = trainEngineModel({ catalog, interactions: interactions.slice(1), now: Date.UTC(2026, 10, 25, 12) });
      expect(a.version).toMatch(/^engine-20261125T115958Z-[0-9a-f]{8}$/);
      expect(b.version.slice(-8)).toBe(a.version.slice(-8));
      expect(c.version.slice(-8)).not.toBe(a.version.slice(-8));
      // Every catalog song is an item, played or not.
      expect(a.data.items).toBe(24);
      expect(a.report).toMatchObject({ users: 12, songs: 24, events: interactions.length, unknownSongs: 0 });
    });

    it('leaves out events for songs outside the catalog and counts them', () => {
      const m = trainEngineModel({
        catalog: contractCatalog(),
        interactions: [...contractInteractions(), { userId: 'u0', songId: 'gone', event: 'play', timestamp: 1 }],
      });
      expect(m.report.unknownSongs).toBe(1);
    });

    it('serves a swapped-in model from the next request on', async () => {
      let clock = Date.UTC(2026, 0, 1);
      const p = await contractEngineProvider({ now: () => clock });
      const first = (await p.health()).modelVersion;
      clock += 1000;
      await p.train();
      const second = (await p.health()).modelVersion;
      expect(second).not.toBe(first);
      expect((await p.recommend({ userId: 'u0', k: 1 })).modelVersion).toBe(second);
      const other = trainEngineModel({ catalog: contractCatalog(), interactions: [], now: clock + 1000 });
      p.swapModel(other);
      expect((await p.similar({ songId: 's00', k: 1 })).modelVersion).toBe(other.version);
    });

    it('reads rows, arrays of rows and store batches, sync or async', async () => {
      const row = (songId: string) => ({ userId: 'u', songId, event: 'play', timestamp: 1 });
      async function* batches() {
        yield { items: [row('a'), row('b')], cursor: '2' };
        yield [row('c')];
        yield row('d');
      }
      expect((await readInteractions(batches())).map((e) => e.songId)).toEqual(['a', 'b', 'c', 'd']);
      expect((await readInteractions([row('x')])).map((e) => e.songId)).toEqual(['x']);
    });
  });
});
