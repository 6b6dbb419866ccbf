import { type Catalog } from '@encore/catalog';
import { tinyCatalog } from '@encore/catalog/testing';
import { syntheticCatalog } from '../testing';
import { DEFAULT_EVENT_WEIGHTS, type InteractionEvent } from './interaction-event';
import {
  DEMO_SIMULATION,
  ListenerSimulator,
  type SimulationOptions,
  type SimulationResult,
  simulateListeners,
} from './listener-simulator';
import { formatInteractionsCsv } from './interactions-csv';
import { tasteDistance } from './taste-space';

const DAY_MS = 86_400_000;
const options: Partial<SimulationOptions> = {
  seed: 3,
  users: 120,
  archetypes: 6,
  eventsPerUser: { min: 40, mean: 80, max: 150 },
  startTime: Date.UTC(2024, 0, 1),
  durationDays: 30,
};

function byUser(events: InteractionEvent[]): Map<string, InteractionEvent[]> {
  const out = new Map<string, InteractionEvent[]>();
  for (const e of events) {
    const list = out.get(e.userId);
    if (list) list.push(e);
    else out.set(e.userId, [e]);
  }
  return out;
}

describe('simulateListeners', () => {
  let catalog: Catalog;
  let result: SimulationResult;
  let perUser: Map<string, InteractionEvent[]>;

  beforeAll(() => {
    catalog = syntheticCatalog({ songs: 3000, genres: 30, seed: 7 });
    result = simulateListeners(catalog, options);
    perUser = byUser(result.events);
  });

  describe('determinism', () => {
    it('gives identical users and events for the same seed', () => {
      const again = simulateListeners(catalog, options);
      expect(again.users).toEqual(result.users);
      // The CSV form is lossless and compares far faster than a deep toEqual over thousands of objects.
      expect(formatInteractionsCsv(again.events)).toBe(formatInteractionsCsv(result.events));
    });

    it('gives different events for a different seed', () => {
      const other = simulateListeners(catalog, { ...options, seed: 4 });
      expect(other.events.length).toBeGreaterThan(0);
      expect(other.events.slice(0, 50)).not.toEqual(result.events.slice(0, 50));
      expect(other.users.map((u) => u.genres[0].genre)).not.toEqual(result.users.map((u) => u.genres[0].genre));
    });

    it('gives each user the same events whatever order users are generated in, streamed or not', () => {
      const sim = new ListenerSimulator(catalog, options);
      const last = sim.users.length - 1;
      expect(sim.eventsOf(last)).toEqual(perUser.get(sim.users[last].id));
      expect(sim.eventsOf(0)).toEqual(perUser.get(sim.users[0].id));
      const streamed = [...sim.events()];
      expect(streamed).toHaveLength(result.events.length);
      expect(streamed.slice(0, sim.eventsOf(0).length)).toEqual(sim.eventsOf(0));
    });
  });

  describe('event log', () => {
    it('only refers to existing users and songs, with the default weight of each event', () => {
      const userIds = new Set(result.users.map((u) => u.id));
      expect(userIds.size).toBe(120);
      const bad = result.events.filter(
        (e) => !userIds.has(e.userId) || catalog.indexOf(e.itemId) < 0 || e.weight !== DEFAULT_EVENT_WEIGHTS[e.event],
      );
      expect(bad).toEqual([]);
    });

    it('is ordered by time, inside the period, strictly increasing per user, and meets each user’s target', () => {
      const start = options.startTime as number;
      const outOfOrder = result.events.filter((e, k) => k > 0 && e.timestamp < result.events[k - 1].timestamp);
      expect(outOfOrder).toEqual([]);
      expect(result.events[0].timestamp).toBeGreaterThanOrEqual(start);
      expect(result.events[result.events.length - 1].timestamp).toBeLessThan(start + 30 * DAY_MS);
      for (const user of result.users) {
        const events = perUser.get(user.id) ?? [];
        expect(events).toHaveLength(user.eventTarget);
        expect(user.eventTarget).toBeGreaterThanOrEqual(40);
        expect(user.eventTarget).toBeLessThanOrEqual(150);
        expect(events.filter((e, k) => k > 0 && e.timestamp <= events[k - 1].timestamp)).toEqual([]);
      }
    });

    it('has plays, likes and skips, repeat plays, and at most one like per user and song', () => {
      const counts = { play: 0, like: 0, skip: 0 };
      let repeatPlays = 0;
      let repeatLikes = 0;
      for (const events of perUser.values()) {
        const played = new Set<string>();
        const liked = new Set<string>();
        for (const e of events) {
          counts[e.event]++;
          if (e.event === 'play') {
            if (played.has(e.itemId)) repeatPlays++;
            played.add(e.itemId);
          }
          if (e.event === 'like') {
            if (liked.has(e.itemId)) repeatLikes++;
            liked.add(e.itemId);
          }
        }
      }
      const total = result.events.length;
      expect(counts.play / total).toBeGreaterThan(0.5);
      expect(counts.like / total).toBeGreaterThan(0.05);
      expect(counts.skip / total).toBeGreaterThan(0.05);
      expect(repeatPlays).toBeGreaterThan(0);
      expect(repeatLikes).toBe(0);
    });
  });

  describe('taste signal', () => {
    it('concentrates likes in each user’s top genres far beyond those genres’ share of the catalog', () => {
      // Measured with seed 3: 89% of likes vs 11% of the catalog.
      let likeShare = 0;
      let catalogShare = 0;
      let users = 0;
      for (const user of result.users) {
        const top = user.genres.slice(0, 3).map((g) => catalog.genreIndex(g.genre));
        const inTop = (i: number) => top.some((g) => catalog.hasGenre(i, g));
        const likes = (perUser.get(user.id) ?? []).filter((e) => e.event === 'like');
        if (likes.length < 3) continue;
        likeShare += likes.filter((e) => inTop(catalog.indexOf(e.itemId))).length / likes.length;
        let songs = 0;
        for (let i = 0; i < catalog.size; i++) if (inTop(i)) songs++;
        catalogShare += songs / catalog.size;
        users++;
      }
      expect(users).toBeGreaterThan(100);
      expect(likeShare / users).toBeGreaterThan(0.7);
      expect(likeShare / users).toBeGreaterThan(4 * (catalogShare / users));
    });

    it('skips songs farther from the user’s feature centre than the songs they like', () => {
      // Measured with seed 3: mean distance 0.51 for skips, 0.36 for likes.
      const centres = new Map(result.users.map((u) => [u.id, u.featureCentre]));
      const distance = (e: InteractionEvent) => {
        const centre = centres.get(e.userId);
        if (!centre) throw new Error(`unknown user ${e.userId}`);
        return tasteDistance(catalog, catalog.indexOf(e.itemId), centre);
      };
      const mean = (kind: InteractionEvent['event']) => {
        const events = result.events.filter((e) => e.event === kind);
        return events.reduce((s, e) => s + distance(e), 0) / events.length;
      };
      expect(mean('skip')).toBeGreaterThan(1.2 * mean('like'));
    });

    it('makes users of one archetype share far more songs than users of different archetypes', () => {
      // Measured with seed 3: mean Jaccard 0.109 within an archetype, 0.011 across (ratio 9.9).
      const listened = result.users.map(
        (u) => new Set((perUser.get(u.id) ?? []).filter((e) => e.event !== 'skip').map((e) => e.itemId)),
      );
      let same = 0;
      let sameN = 0;
      let different = 0;
      let differentN = 0;
      for (let a = 0; a < listened.length; a++) {
        for (let b = a + 1; b < listened.length; b++) {
          let shared = 0;
          for (const item of listened[a]) if (listened[b].has(item)) shared++;
          const jaccard = shared / (listened[a].size + listened[b].size - shared);
          if (result.users[a].archetype === result.users[b].archetype) {
            same += jaccard;
            sameN++;
          } else {
            different += jaccard;
            differentN++;
          }
        }
      }
      expect(sameN).toBeGreaterThan(0);
      expect(same / sameN).toBeGreaterThan(4 * (different / differentN));
    });

    it('describes users as archetype members with a few genres, a feature region and favourite artists', () => {
      const archetypes = new Set(result.users.map((u) => u.archetype));
      expect(archetypes.size).toBe(6);
      for (const user of result.users) {
        expect(user.genres[0].weight).toBe(1);
        expect(user.genres.length).toBeGreaterThanOrEqual(4);
        expect(user.genres.length).toBeLessThanOrEqual(5);
        expect(user.favouriteArtists.length).toBeGreaterThan(0);
        for (const v of Object.values(user.featureCentre)) expect(v).toBeGreaterThanOrEqual(0);
        for (const v of Object.values(user.featureCentre)) expect(v).toBeLessThanOrEqual(1);
      }
    });
  });
});

describe('ListenerSimulator edge cases', () => {
  it('works on a six-song catalog with fewer genres than an archetype wants', () => {
    const { users, events } = simulateListeners(tinyCatalog(), {
      seed: 1,
      users: 5,
      eventsPerUser: { min: 10, mean: 10, max: 10 },
    });
    expect(users).toHaveLength(5);
    expect(events).toHaveLength(50);
  });

  it('refuses an empty catalog', () => {
    expect(() => simulateListeners(syntheticCatalog({ songs: 0 }))).toThrow('empty catalog');
  });

  it.each([
    [{ users: 0 }, 'simulation option users must be an integer ≥ 1, got 0'],
    [
      { eventsPerUser: { min: 10, mean: 5, max: 20 } },
      'simulation option eventsPerUser.mean must be between min (10) and max (20), got 5',
    ],
    [
      { eventsPerUser: { min: 10, mean: 10, max: 5 } },
      'simulation option eventsPerUser.max must be an integer ≥ 10, got 5',
    ],
    [{ durationDays: 0 }, 'simulation option durationDays must be a positive number, got 0'],
    [{ explorationRate: 1.5 }, 'simulation option explorationRate must be in [0, 1], got 1.5'],
    [
      { explorationRate: 0.6, personalRate: 0.6 },
      'simulation option explorationRate + personalRate must be ≤ 1, got 1.2',
    ],
    [{ seed: Number.NaN }, 'simulation option seed must be a finite number, got NaN'],
  ] as [Partial<SimulationOptions>, string][])('rejects %o', (bad, message) => {
    expect(() => new ListenerSimulator(syntheticCatalog({ songs: 50 }), bad)).toThrow(new RangeError(message));
  });

  it('keeps the demo options in the documented range', () => {
    expect(DEMO_SIMULATION.seed).toBe(42);
    expect(DEMO_SIMULATION.users).toBeGreaterThanOrEqual(300);
    expect(DEMO_SIMULATION.users).toBeLessThanOrEqual(500);
    expect(DEMO_SIMULATION.eventsPerUser.mean).toBeGreaterThanOrEqual(60);
    expect(DEMO_SIMULATION.eventsPerUser.mean).toBeLessThanOrEqual(150);
  });
});
