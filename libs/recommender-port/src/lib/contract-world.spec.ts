import { CONTRACT_FACTS, CONTRACT_INTERACTIONS, CONTRACT_SONGS, describeRecommenderProviderContract } from '../testing';
import {
  RecommenderProvider,
  UnknownSongError,
  type ProviderInteraction,
  type RecommendationRequest,
  type RecommendationResult,
  type SessionRecommendationRequest,
  type SimilarRequest,
} from './recommender-provider';

const listenersOf = (songId: string) =>
  new Set(
    CONTRACT_INTERACTIONS.filter((e) => e.songId === songId && (e.event === 'play' || e.event === 'like')).map(
      (e) => e.userId,
    ),
  ).size;

describe('the contract world', () => {
  it('has the popularity ranking its facts state (distinct listeners 6, 5, 4, 3, then at most 2)', () => {
    expect(CONTRACT_FACTS.popularSongIds.map(listenersOf)).toEqual([6, 5, 4, 3]);
    const others = CONTRACT_SONGS.filter((s) => !CONTRACT_FACTS.popularSongIds.includes(s.id));
    expect(Math.max(...others.map((s) => listenersOf(s.id)))).toBe(2);
  });

  it('lists exactly the songs u0 interacted with as seen, and enough unseen songs of the test genre', () => {
    const touched = new Set(CONTRACT_INTERACTIONS.filter((e) => e.userId === 'u0').map((e) => e.songId));
    expect([...touched].sort()).toEqual([...CONTRACT_FACTS.seenSongIds].sort());
    const unseen = CONTRACT_SONGS.filter((s) => s.genre === CONTRACT_FACTS.genre && !touched.has(s.id));
    expect(unseen.length).toBeGreaterThanOrEqual(CONTRACT_FACTS.k);
    expect(CONTRACT_FACTS.genresOf('s08')).toEqual(['jazz']);
    expect(CONTRACT_FACTS.genresOf('nope')).toEqual([]);
  });
});

describe('UnknownSongError', () => {
  it('names the song', () => {
    const e = new UnknownSongError('abc');
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'UnknownSongError', songId: 'abc', message: 'unknown song "abc"' });
  });
});

/** The smallest provider that keeps the contract: popularity without what the listener touched. */
class ReferenceProvider extends RecommenderProvider {
  readonly name = 'reference';
  private readonly touched = new Map<string, Set<string>>();

  constructor() {
    super();
    for (const e of CONTRACT_INTERACTIONS) this.touch(e.userId, e.songId);
  }

  private touch(userId: string, songId: string): void {
    const set = this.touched.get(userId) ?? new Set<string>();
    set.add(songId);
    this.touched.set(userId, set);
  }

  private rank(k: number, skip: ReadonlySet<string>, keep: (id: string) => boolean): RecommendationResult {
    const items = [...CONTRACT_SONGS]
      .filter((s) => !skip.has(s.id) && keep(s.id))
      .sort((a, b) => listenersOf(b.id) - listenersOf(a.id) || (a.id < b.id ? -1 : 1))
      .slice(0, k)
      .map((s) => ({ songId: s.id, score: listenersOf(s.id), reason: { source: 'popularity', text: 'Popular' } }));
    return { items, provider: this.name, modelVersion: 'reference-1' };
  }

  async recommend(r: RecommendationRequest): Promise<RecommendationResult> {
    const skip = new Set([...(this.touched.get(r.userId) ?? []), ...(r.exclude ?? [])]);
    const genreOf = (id: string) => CONTRACT_FACTS.genresOf(id)[0];
    return this.rank(
      r.k,
      skip,
      (id) => (!r.genres?.length || r.genres.includes(genreOf(id))) && !r.excludeGenres?.includes(genreOf(id)),
    );
  }

  async recommendForSession(r: SessionRecommendationRequest): Promise<RecommendationResult> {
    return this.rank(r.k, new Set([...r.likedSongIds, ...(r.exclude ?? [])]), () => true);
  }

  async similar(r: SimilarRequest): Promise<RecommendationResult> {
    if (!CONTRACT_SONGS.some((s) => s.id === r.songId)) throw new UnknownSongError(r.songId);
    return this.rank(r.k, new Set([r.songId, ...(r.exclude ?? [])]), () => true);
  }

  async recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void> {
    for (const i of interactions) this.touch(userId, i.songId);
  }

  async health() {
    return { ok: true, provider: this.name };
  }
}

// The suite itself, run against a reference that keeps the contract by construction.
describeRecommenderProviderContract('reference (in-memory)', () => ({
  ...CONTRACT_FACTS,
  provider: new ReferenceProvider(),
}));
