import type { RecommendationResult, RecommenderProvider } from './lib/recommender-provider';

/**
 * What the contract suite needs to know about a provider's world. Ids are plain strings so the
 * suite depends on no implementation: the engine fixture trains on a tiny catalog, the
 * Personalize fixture points the real SDK at a fake server holding the same facts.
 */
export interface RecommenderContractFixture {
  provider: RecommenderProvider;
  /** A listener with history. */
  userId: string;
  /** Songs `userId` has interacted with: never recommended to them. At least 2. */
  seenSongIds: readonly string[];
  /** A listener the provider has never heard of. */
  unknownUserId: string;
  /** The popularity ranking an unknown listener must get, best first (at least `k` ids). */
  popularSongIds: readonly string[];
  /** Genres of any song the provider may return. */
  genresOf(songId: string): readonly string[];
  /** A genre holding at least `k` songs `userId` has not seen. */
  genre: string;
  /** A song with at least `k` similar songs. */
  seedSongId: string;
  /** A list length the fixture can fill for every request above (≥ 3). */
  k: number;
  /** Releases servers and the like; called after each test. */
  close?(): Promise<void>;
}

/**
 * Behaviour every `RecommenderProvider` shares, run once per implementation:
 * `describeRecommenderProviderContract('engine', () => engineFixture())`. `factory` returns a fresh
 * fixture per test, so a test that records feedback cannot leak into the next.
 */
export function describeRecommenderProviderContract(
  name: string,
  factory: () => RecommenderContractFixture | Promise<RecommenderContractFixture>,
): void {
  describe(`RecommenderProvider contract: ${name}`, () => {
    let f: RecommenderContractFixture;

    beforeEach(async () => {
      f = await factory();
      if (f.k < 3) throw new Error(`contract fixture k must be ≥ 3, got ${f.k}`);
      if (f.seenSongIds.length < 2) throw new Error('contract fixture needs at least 2 seen songs');
    });

    afterEach(async () => {
      await f.close?.();
    });

    const ids = (r: RecommendationResult) => r.items.map((i) => i.songId);

    function expectWellFormed(r: RecommendationResult, maxItems: number): void {
      expect(r.items.length).toBeLessThanOrEqual(maxItems);
      expect(typeof r.provider).toBe('string');
      expect(r.provider.length).toBeGreaterThan(0);
      expect(typeof r.modelVersion).toBe('string');
      expect(new Set(ids(r)).size).toBe(r.items.length);
      for (let i = 1; i < r.items.length; i++) expect(r.items[i].score).toBeLessThanOrEqual(r.items[i - 1].score);
      for (const item of r.items) {
        expect(Number.isFinite(item.score)).toBe(true);
        expect(item.reason.source.length).toBeGreaterThan(0);
        expect(item.reason.text.trim().length).toBeGreaterThan(0);
      }
    }

    it('returns exactly k songs for a known listener, best first, each with a reason', async () => {
      const r = await f.provider.recommend({ userId: f.userId, k: f.k });
      expectWellFormed(r, f.k);
      expect(r.items).toHaveLength(f.k);
      expect(r.provider).toBe(f.provider.name);
      expect(r.fallback).toBeUndefined();
    });

    it('respects smaller k and keeps the order of the longer list', async () => {
      const long = await f.provider.recommend({ userId: f.userId, k: f.k });
      const one = await f.provider.recommend({ userId: f.userId, k: 1 });
      expect(one.items).toHaveLength(1);
      expect(ids(one)).toEqual(ids(long).slice(0, 1));
    });

    it('never recommends songs the listener has already seen', async () => {
      const r = await f.provider.recommend({ userId: f.userId, k: f.k });
      for (const seen of f.seenSongIds) expect(ids(r)).not.toContain(seen);
    });

    it('falls back to popularity for an unknown listener', async () => {
      const r = await f.provider.recommend({ userId: f.unknownUserId, k: f.k });
      expectWellFormed(r, f.k);
      expect(ids(r)).toEqual(f.popularSongIds.slice(0, f.k));
    });

    it('leaves out the excluded ids and still fills the list', async () => {
      const first = await f.provider.recommend({ userId: f.userId, k: f.k });
      const excluded = ids(first).slice(0, 2);
      const r = await f.provider.recommend({ userId: f.userId, k: f.k, exclude: excluded });
      expectWellFormed(r, f.k);
      expect(r.items).toHaveLength(f.k);
      for (const id of excluded) expect(ids(r)).not.toContain(id);
    });

    it('honours the genre filter: only included genres, never excluded ones', async () => {
      const only = await f.provider.recommend({ userId: f.userId, k: f.k, genres: [f.genre] });
      expectWellFormed(only, f.k);
      expect(only.items.length).toBeGreaterThan(0);
      for (const id of ids(only)) expect(f.genresOf(id)).toContain(f.genre);

      const without = await f.provider.recommend({ userId: f.userId, k: f.k, excludeGenres: [f.genre] });
      expectWellFormed(without, f.k);
      expect(without.items.length).toBeGreaterThan(0);
      for (const id of ids(without)) expect(f.genresOf(id)).not.toContain(f.genre);
    });

    it('finds similar songs without the seed song itself, best first, each with a reason', async () => {
      const r = await f.provider.similar({ songId: f.seedSongId, k: f.k });
      expectWellFormed(r, f.k);
      expect(r.items).toHaveLength(f.k);
      expect(ids(r)).not.toContain(f.seedSongId);

      const excluded = ids(r)[0];
      const again = await f.provider.similar({ songId: f.seedSongId, k: f.k, exclude: [excluded] });
      expect(ids(again)).not.toContain(excluded);
      expect(ids(again)).not.toContain(f.seedSongId);
    });

    it('recommends for a guest session without returning the liked songs', async () => {
      const liked = f.seenSongIds.slice(0, 2);
      const r = await f.provider.recommendForSession({ likedSongIds: liked, k: f.k });
      expectWellFormed(r, f.k);
      expect(r.items).toHaveLength(f.k);
      for (const id of liked) expect(ids(r)).not.toContain(id);
    });

    it('accepts feedback and keeps answering', async () => {
      const now = Date.now();
      await expect(
        f.provider.recordInteractions(f.userId, [
          { songId: f.seenSongIds[0], event: 'like', timestamp: now },
          { songId: f.seenSongIds[1], event: 'play', timestamp: now },
        ]),
      ).resolves.toBeUndefined();
      const r = await f.provider.recommend({ userId: f.userId, k: f.k });
      expectWellFormed(r, f.k);
      for (const seen of f.seenSongIds) expect(ids(r)).not.toContain(seen);
    });

    it('reports itself healthy under its own name', async () => {
      const h = await f.provider.health();
      expect(h.ok).toBe(true);
      expect(h.provider).toBe(f.provider.name);
    });
  });
}

/** A song of the contract world: plain data every fixture turns into its own catalog or fake service. */
export interface ContractSong {
  id: string;
  name: string;
  artist: string;
  genre: 'rock' | 'jazz' | 'pop';
}

export interface ContractInteraction {
  userId: string;
  songId: string;
  event: 'play' | 'like' | 'skip' | 'dislike';
}

const GENRES = ['rock', 'jazz', 'pop'] as const;

/**
 * Twenty-four songs in three genres (s00–s07 rock, s08–s15 jazz, s16–s23 pop; two artists per
 * genre) and twelve listeners. Distinct listeners per song, by construction: s00 6 (u0–u5),
 * s16 5 (u4–u8), s08 4 (u4, u9–u11), s01 3 (u0–u2), every other song at most 2 — so the
 * popularity ranking starts s00, s16, s08, s01. u0 is a rock listener who has seen s00–s02,
 * skipped s05 and disliked s07.
 */
export const CONTRACT_SONGS: readonly ContractSong[] = Array.from({ length: 24 }, (_, i) => {
  const genre = GENRES[Math.floor(i / 8)];
  return {
    id: `s${String(i).padStart(2, '0')}`,
    name: `${genre[0].toUpperCase()}${genre.slice(1)} song ${i % 8}`,
    artist: `${genre}-artist-${i % 8 < 4 ? 'a' : 'b'}`,
    genre,
  };
});

const PLAYS: Record<string, string[]> = {
  u0: ['s00', 's01', 's02'],
  u1: ['s00', 's01', 's03'],
  u2: ['s00', 's01', 's04'],
  u3: ['s00', 's05'],
  u4: ['s00', 's16', 's08'],
  u5: ['s00', 's16', 's09'],
  u6: ['s16', 's17', 's18'],
  u7: ['s16', 's17', 's19'],
  u8: ['s16', 's20'],
  u9: ['s08', 's09', 's10'],
  u10: ['s08', 's11', 's12'],
  u11: ['s08', 's13', 's14'],
};

export const CONTRACT_INTERACTIONS: readonly ContractInteraction[] = [
  ...Object.entries(PLAYS).flatMap(([userId, songs]) =>
    songs.map((songId): ContractInteraction => ({ userId, songId, event: 'play' })),
  ),
  { userId: 'u0', songId: 's00', event: 'like' },
  { userId: 'u0', songId: 's05', event: 'skip' },
  { userId: 'u0', songId: 's07', event: 'dislike' },
];

/** The contract facts of that world (provider and close are the fixture's own). */
export const CONTRACT_FACTS = Object.freeze({
  userId: 'u0',
  seenSongIds: ['s00', 's01', 's02', 's05', 's07'] as readonly string[],
  unknownUserId: 'nobody-knows-me',
  popularSongIds: ['s00', 's16', 's08', 's01'] as readonly string[],
  genre: 'jazz',
  seedSongId: 's00',
  k: 4,
  genresOf: (songId: string): readonly string[] => {
    const song = CONTRACT_SONGS.find((s) => s.id === songId);
    return song ? [song.genre] : [];
  },
});
