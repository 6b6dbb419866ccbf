import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCatalogText } from '@encore/catalog';
import type { RecommendationRequest, RecommendationResult } from '@encore/recommender-port';
import { simulateListeners } from '@encore/simulator';
import { EngineRecommenderProvider } from './engine-recommender-provider';

// A provider remembers each listener's ranked lists and each seed song's neighbours between requests; these prove that answering from them gives
// exactly what ranking afresh gives, whatever the request varies, and that feedback and model swaps retire them.
describe('EngineRecommenderProvider listener memo', () => {
  const catalogText = readFileSync(join(__dirname, '../../../../data/sample/catalog.csv'), 'utf8');
  const { catalog } = ingestCatalogText(catalogText);
  const { events } = simulateListeners(catalog, { users: 40, seed: 7, eventsPerUser: { min: 30, mean: 45, max: 60 } });
  const interactions = events.map((e) => ({ userId: e.userId, songId: e.itemId, event: e.event, timestamp: 0 }));
  const users = [...new Set(interactions.map((e) => e.userId))].slice(0, 6);
  const provider = async () => {
    const p = new EngineRecommenderProvider({
      catalog,
      interactions: () => interactions,
      model: { als: { factors: 8, iterations: 4 } },
      now: () => 0,
    });
    await p.start();
    return p;
  };
  let warm: EngineRecommenderProvider;
  beforeAll(async () => {
    warm = await provider();
  });

  const ids = (r: RecommendationResult) => r.items.map((i) => `${i.songId}:${i.score.toFixed(6)}:${i.reason.text}`);
  /** A provider that has never seen the listener ranks afresh; `warm` answers from what earlier requests left. */
  async function fresh(request: RecommendationRequest): Promise<string[]> {
    const p = await provider();
    return ids(await p.recommend(request));
  }

  it('answers varied requests of a listener exactly as a fresh ranking does', async () => {
    for (const userId of users) {
      const first = await warm.recommend({ userId, k: 10 });
      const top = first.items.map((i) => i.songId);
      const long = (await warm.recommend({ userId, k: 60 })).items.map((i) => i.songId);
      const variants: RecommendationRequest[] = [
        { userId, k: 10 },
        { userId, k: 3 },
        { userId, k: 25 },
        { userId, k: 10, exclude: top.slice(0, 4) },
        { userId, k: 10, exclude: [...top, 'not-a-song'] },
        // More exclusions than a list of k = 10 keeps spare: the ranking must look further down.
        { userId, k: 10, exclude: long.slice(0, 58) },
        { userId, k: 10, strategy: 'cf', exclude: top.slice(2, 5) },
        { userId, k: 8, strategy: 'content' },
        { userId, k: 10, diversity: { maxPerArtist: 1 } },
      ];
      for (const request of variants) expect(ids(await warm.recommend(request))).toEqual(await fresh(request));
    }
  });

  it('answers look-alikes of a song from its remembered neighbours exactly as a fresh search does', async () => {
    // The most played songs: their look-alikes blend co-listening with content.
    const plays = new Map<string, number>();
    for (const e of interactions) plays.set(e.songId, (plays.get(e.songId) ?? 0) + 1);
    const seeds = [...plays]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 4)
      .map(([id]) => id);
    for (const songId of seeds) {
      const first = (await warm.similar({ songId, k: 40 })).items.map((i) => i.songId);
      const variants = [
        { songId, k: 10 },
        { songId, k: 3 },
        { songId, k: 10, exclude: first.slice(0, 5) },
        // More exclusions than the remembered headroom: the lists must be searched again, longer.
        { songId, k: 10, exclude: first.slice(0, 40) },
      ];
      for (const request of variants) {
        const fresh = await (await provider()).similar(request);
        expect(ids(await warm.similar(request))).toEqual(ids(fresh));
      }
    }
  });

  it('ranks again after the listener’s feedback', async () => {
    const userId = users[0];
    const before = await warm.recommend({ userId, k: 10 });
    await warm.recordInteractions(
      userId,
      before.items.slice(0, 3).map((i) => ({ songId: i.songId, event: 'dislike', timestamp: 1 })),
    );
    const after = await warm.recommend({ userId, k: 10 });
    for (const gone of before.items.slice(0, 3)) expect(after.items.map((i) => i.songId)).not.toContain(gone.songId);
  });
});
