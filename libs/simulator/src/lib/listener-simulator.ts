import type { Catalog } from '@encore/catalog';
import { Rng } from '@encore/linalg';
import { DEFAULT_EVENT_WEIGHTS, type InteractionEvent, type InteractionEventType } from './interaction-event';
import { TASTE_DIMENSIONS, TASTE_FEATURES, type TasteFeature, tasteMatrix } from './taste-space';

export interface EventsPerUser {
  min: number;
  /** Approximate: counts are min + an exponential tail with this mean, clipped at max. */
  mean: number;
  max: number;
}

export interface SimulationOptions {
  /** Same seed and same catalog ⇒ identical users and events. */
  seed: number;
  users: number;
  eventsPerUser: EventsPerUser;
  /** Start of the simulated period, epoch milliseconds (UTC). */
  startTime: number;
  durationDays: number;
  /** Latent taste groups users are drawn from; fewer ⇒ stronger collaborative signal. */
  archetypes: number;
  genresPerArchetype: number;
  artistsPerArchetype: number;
  /** Share of exposures drawn from the whole catalog by popularity, blind to taste (the source of most skips). */
  explorationRate: number;
  /** Share of exposures drawn from the user's own extra genre instead of the archetype's pool. */
  personalRate: number;
  /** Share of exposures that replay a song the user already enjoyed (repeat plays). */
  replayRate: number;
  /** Mean number of songs per listening session. */
  tracksPerSession: number;
}

export const DEFAULT_SIMULATION_OPTIONS: Readonly<SimulationOptions> = Object.freeze({
  seed: 1,
  users: 500,
  eventsPerUser: Object.freeze({ min: 20, mean: 100, max: 400 }),
  startTime: Date.UTC(2024, 0, 1),
  durationDays: 90,
  archetypes: 16,
  genresPerArchetype: 4,
  artistsPerArchetype: 40,
  explorationRate: 0.12,
  personalRate: 0.15,
  replayRate: 0.15,
  tracksPerSession: 12,
});

/** The data set the API and dashboard demo generate over the embedded sample catalog. */
export const DEMO_SIMULATION: Readonly<SimulationOptions> = Object.freeze({
  ...DEFAULT_SIMULATION_OPTIONS,
  seed: 42,
  users: 400,
  eventsPerUser: Object.freeze({ min: 30, mean: 100, max: 250 }),
});

/** A simulated listener's hidden taste, exposed so tests and demos can check events against it. */
export interface SimulatedUser {
  id: string;
  archetype: number;
  /** Favourite genres, strongest first; the strongest has weight 1. */
  genres: { genre: string; weight: number }[];
  /** Centre of the preferred region of taste space (see TASTE_FEATURES; every axis in [0, 1]). */
  featureCentre: Record<TasteFeature, number>;
  featureSpread: Record<TasteFeature, number>;
  /** Exponent on (popularity + 1) / 101 in what the user is exposed to: 0 = indifferent, 2 = mainstream. */
  popularityBias: number;
  /** Floor of the skip probability, even for well-matching songs. */
  skipPropensity: number;
  /** Scale of the like probability for strongly matching songs. */
  likeRate: number;
  favouriteArtists: string[];
  /** Number of events the user was given (reached unless the period runs out). */
  eventTarget: number;
}

export interface SimulationResult {
  users: SimulatedUser[];
  /** All events ordered by timestamp (ties: user order). */
  events: InteractionEvent[];
}

/** Generates users and all their events in one go; see ListenerSimulator to stream users one at a time. */
export function simulateListeners(catalog: Catalog, options: Partial<SimulationOptions> = {}): SimulationResult {
  const sim = new ListenerSimulator(catalog, options);
  const events: InteractionEvent[] = [];
  for (let u = 0; u < sim.users.length; u++) {
    for (const e of sim.eventsOf(u)) events.push(e);
  }
  events.sort((a, b) => a.timestamp - b.timestamp); // stable, so ties keep user order
  return { users: sim.users, events };
}

// Weights of the match score m ∈ [0, 1] deciding skip / play / like.
const MATCH_GENRE = 0.4;
const MATCH_FEATURES = 0.35;
const MATCH_ARTIST = 0.15;
const MATCH_APPEAL = 0.1;
/** How strongly an archetype's hidden per-song appeal shapes its exposure (log-scale). */
const APPEAL_STRENGTH = 0.8;
/** Exposure boost for songs by an archetype's favourite artists. */
const ARTIST_BOOST = 3;
const GENRE_NEIGHBOURS = 8;
const MAX_DRAW_TRIES = 12;
const ROTATION_SIZE = 30;
const DAY_MS = 86_400_000;

interface Sampler {
  /** Song indices, or null when the sampler spans the whole catalog (index = position). */
  songs: Int32Array | null;
  /** Cumulative weights; the last entry is the total. */
  cdf: Float64Array;
  /** The popularity exponent the weights already contain. */
  popularityBias: number;
}

interface Archetype {
  genres: Int32Array;
  centre: Float32Array;
  spread: Float32Array;
  popularityBias: number;
  artists: Int32Array;
  appealSeed: number;
  pool: Sampler;
}

interface Profile {
  archetype: number;
  /** Dense over the genre vocabulary, max 1. */
  genreWeight: Float32Array;
  personalGenre: number;
  centre: Float32Array;
  /** 1 / spread, per taste dimension. */
  inverseSpread: Float32Array;
  popularityBias: number;
  skipPropensity: number;
  likeRate: number;
  artists: Set<number>;
  eventTarget: number;
  streamSeed: number;
}

/**
 * Seeded listener simulator. Users belong to latent taste archetypes (shared favourite genres, a region
 * of audio-feature space, a popularity bias, favourite artists and a hidden per-song appeal no content
 * feature explains), with individual noise. Exposure follows the archetype (so users of one archetype
 * co-listen: collaborative signal); the reaction to each song — skip, play, like — follows the user's own
 * genre, feature and artist match (so content carries signal too).
 *
 * Cost, with N songs, G genres, D = 6 taste dimensions, A archetypes, P ≤ N songs in an archetype's genres,
 * U users and E events:
 *   - setup O(N·D + Σ song genres + G²·D + A·P·(D + genres + artists per song) + U·(G·D + artists));
 *   - each exposure is a binary search in a precomputed CDF, O(log N), plus O(D + genres + artists of the
 *     song) for the match, with at most MAX_DRAW_TRIES rejection draws — so O(E·log N) overall and never a
 *     pass over the catalog per user or per event.
 * Memory: O(N·D) floats for taste coordinates plus O(A·P + N) for the samplers.
 */
export class ListenerSimulator {
  readonly options: SimulationOptions;
  readonly users: SimulatedUser[];
  private readonly taste: Float32Array;
  /** (popularity + 1) / 101, the base of every popularity exponent. */
  private readonly quality: Float32Array;
  private readonly explore: Sampler;
  /** Per genre: songs of the genre and their popularity CDF, slices genreOffsets[g] … genreOffsets[g+1]. */
  private readonly genreOffsets: Int32Array;
  private readonly genreSongs: Int32Array;
  private readonly genreCdf: Float64Array;
  private readonly genresWithSongs: Int32Array;
  private readonly genreCentroids: Float32Array;
  private readonly archetypes: Archetype[];
  private readonly profiles: Profile[];
  private readonly endTime: number;

  constructor(
    readonly catalog: Catalog,
    options: Partial<SimulationOptions> = {},
  ) {
    this.options = resolveOptions(options);
    if (catalog.size === 0) throw new Error('cannot simulate listeners over an empty catalog');
    const o = this.options;
    this.endTime = o.startTime + o.durationDays * DAY_MS;
    this.taste = tasteMatrix(catalog);
    this.quality = new Float32Array(catalog.size);
    for (let i = 0; i < catalog.size; i++) {
      const p = catalog.popularity[i];
      this.quality[i] = Number.isFinite(p) ? (Math.min(100, Math.max(0, p)) + 1) / 101 : 1 / 101;
    }
    this.explore = this.buildExploreSampler();
    [this.genreOffsets, this.genreSongs, this.genreCdf] = this.buildGenrePools();
    this.genresWithSongs = Int32Array.from({ length: catalog.genreNames.length }, (_, g) => g).filter(
      (g) => this.genreOffsets[g + 1] > this.genreOffsets[g],
    );
    if (this.genresWithSongs.length === 0) throw new Error('cannot simulate listeners: no song has a genre');
    this.genreCentroids = this.buildGenreCentroids();

    const rng = new Rng(o.seed);
    const neighbours = this.genreNeighbours();
    const genreOrder = rng.shuffle(this.genresWithSongs.slice());
    this.archetypes = [];
    for (let a = 0; a < o.archetypes; a++) {
      this.archetypes.push(this.buildArchetype(genreOrder[a % genreOrder.length], neighbours, rng));
    }
    this.profiles = [];
    this.users = [];
    const idWidth = Math.max(4, String(o.users).length);
    for (let u = 0; u < o.users; u++) {
      const profile = this.buildProfile(rng);
      this.profiles.push(profile);
      this.users.push(this.describe(`u${String(u + 1).padStart(idWidth, '0')}`, profile));
    }
  }

  /** User u's events in time order; the same for a given seed whatever order users are asked for. */
  eventsOf(u: number): InteractionEvent[] {
    const p = this.profiles[u];
    if (!p) throw new RangeError(`user index ${u} outside 0…${this.profiles.length - 1}`);
    const o = this.options;
    const rng = new Rng(p.streamSeed);
    // Sessions are generated on their own clocks first (song lengths, skips, pauses), then placed at sorted
    // random starts over the period, so every user reaches the target whatever the session lengths were.
    const songs: number[] = [];
    const kinds: InteractionEventType[] = [];
    const sessionOf: number[] = [];
    const offsets: number[] = [];
    const spans: number[] = [];
    const emit = (i: number, event: InteractionEventType, offset: number) => {
      songs.push(i);
      kinds.push(event);
      sessionOf.push(spans.length - 1);
      offsets.push(offset);
    };

    const liked = new Set<number>();
    const rotation: number[] = [];
    let remaining = 0;
    let t = 0;
    while (songs.length < p.eventTarget) {
      if (remaining === 0) {
        remaining = Math.max(1, Math.round(o.tracksPerSession * (0.5 + rng.next())));
        spans.push(0);
        t = 0;
      }
      remaining--;
      const replay = rotation.length > 0 && rng.next() < o.replayRate;
      const i = replay ? rotation[rng.int(rotation.length)] : this.drawExposure(p, rng);
      const m = this.match(p, i);
      let skip = Math.min(0.97, p.skipPropensity + (1 - p.skipPropensity) * Math.pow(1 - m, 2.5));
      if (replay) skip *= 0.5;
      if (rng.next() < skip) {
        emit(i, 'skip', t);
        t += 3_000 + rng.next() * 27_000;
      } else {
        emit(i, 'play', t);
        const duration = this.catalog.durationMs[i] > 30_000 ? this.catalog.durationMs[i] : 180_000;
        const listened = duration * (0.6 + 0.4 * rng.next());
        const likeLevel = Math.min(1, Math.max(0, (m - 0.4) / 0.5));
        if (!liked.has(i) && songs.length < p.eventTarget && rng.next() < p.likeRate * Math.pow(likeLevel, 1.5)) {
          liked.add(i);
          emit(i, 'like', t + listened * (0.2 + 0.6 * rng.next()));
        }
        if (!replay && m >= 0.5) {
          if (rotation.length < ROTATION_SIZE) rotation.push(i);
          else rotation[rng.int(ROTATION_SIZE)] = i;
        }
        t += listened + 500 + rng.next() * 2_500;
      }
      spans[spans.length - 1] = t;
    }

    const starts = new Float64Array(spans.length);
    for (let s = 0; s < starts.length; s++) starts[s] = o.startTime + rng.next() * (this.endTime - o.startTime);
    starts.sort();
    // Sessions never overlap: one starts at least a minute after the previous one ended.
    let previousEnd = -Infinity;
    for (let s = 0; s < starts.length; s++) {
      starts[s] = Math.max(starts[s], previousEnd + 60_000);
      previousEnd = starts[s] + spans[s];
    }

    const userId = this.users[u].id;
    const ids = this.catalog.ids;
    const events: InteractionEvent[] = [];
    for (let k = 0; k < songs.length; k++) {
      const timestamp = Math.floor(starts[sessionOf[k]] + offsets[k]);
      // The period is a hard bound; only a crowded period (many events, few days) loses its last sessions.
      if (timestamp >= this.endTime) break;
      events.push({
        userId,
        itemId: ids[songs[k]],
        event: kinds[k],
        weight: DEFAULT_EVENT_WEIGHTS[kinds[k]],
        timestamp,
      });
    }
    return events;
  }

  /** Every user's events, user after user (each user's in time order), without holding them all. */
  *events(): Generator<InteractionEvent> {
    for (let u = 0; u < this.profiles.length; u++) yield* this.eventsOf(u);
  }

  private drawExposure(p: Profile, rng: Rng): number {
    const o = this.options;
    const r = rng.next();
    if (r < o.explorationRate) return draw(this.explore, rng);
    if (r < o.explorationRate + o.personalRate && p.personalGenre >= 0) {
      const lo = this.genreOffsets[p.personalGenre];
      const hi = this.genreOffsets[p.personalGenre + 1];
      return this.drawAccepted(
        p,
        1,
        rng,
        () => this.genreSongs[searchCdf(this.genreCdf, lo, hi, rng.next() * this.genreCdf[hi - 1])],
      );
    }
    const pool = this.archetypes[p.archetype].pool;
    return this.drawAccepted(p, pool.popularityBias, rng, () => draw(pool, rng));
  }

  /**
   * Rejection step that bends a shared sampler towards the user: target ∝ base · √featureMatch · q^Δ with
   * Δ = user bias − sampler bias and q = (popularity+1)/101. For Δ < 0, q^Δ is rescaled by 101^Δ so the
   * acceptance stays ≤ 1. Capped at MAX_DRAW_TRIES so a picky user costs bounded time.
   */
  private drawAccepted(p: Profile, samplerBias: number, rng: Rng, candidate: () => number): number {
    const delta = p.popularityBias - samplerBias;
    let i = candidate();
    for (let tries = 1; tries < MAX_DRAW_TRIES; tries++) {
      const q = this.quality[i];
      const popularityAcceptance = delta >= 0 ? Math.pow(q, delta) : Math.pow(q * 101, delta);
      if (rng.next() < Math.sqrt(this.featureMatch(p.centre, p.inverseSpread, i)) * popularityAcceptance) return i;
      i = candidate();
    }
    return i;
  }

  /** exp(−½ · mean squared standardised distance) in taste space: 1 at the centre. */
  private featureMatch(centre: Float32Array, inverseSpread: Float32Array, i: number): number {
    const d = TASTE_DIMENSIONS;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const z = (this.taste[i * d + k] - centre[k]) * inverseSpread[k];
      s += z * z;
    }
    return Math.exp((-0.5 * s) / d);
  }

  /** How well song i suits the user, in [0, 1]. */
  private match(p: Profile, i: number): number {
    const c = this.catalog;
    let genre = 0;
    for (let k = c.genreOffsets[i]; k < c.genreOffsets[i + 1]; k++)
      genre = Math.max(genre, p.genreWeight[c.genreIds[k]]);
    let artist = 0;
    for (let k = c.artistOffsets[i]; k < c.artistOffsets[i + 1]; k++) if (p.artists.has(c.artistIds[k])) artist = 1;
    const appeal = 1 / (1 + Math.exp(-hiddenAppeal(this.archetypes[p.archetype].appealSeed, i)));
    return (
      MATCH_GENRE * genre +
      MATCH_FEATURES * this.featureMatch(p.centre, p.inverseSpread, i) +
      MATCH_ARTIST * artist +
      MATCH_APPEAL * appeal
    );
  }

  private buildExploreSampler(): Sampler {
    const cdf = new Float64Array(this.catalog.size);
    let total = 0;
    for (let i = 0; i < cdf.length; i++) cdf[i] = total += this.quality[i];
    return { songs: null, cdf, popularityBias: 1 };
  }

  private buildGenrePools(): [Int32Array, Int32Array, Float64Array] {
    const c = this.catalog;
    const g = c.genreNames.length;
    const offsets = new Int32Array(g + 1);
    for (let k = 0; k < c.genreIds.length; k++) offsets[c.genreIds[k] + 1]++;
    for (let k = 0; k < g; k++) offsets[k + 1] += offsets[k];
    const fill = offsets.slice(0, g);
    const songs = new Int32Array(c.genreIds.length);
    for (let i = 0; i < c.size; i++) {
      for (let k = c.genreOffsets[i]; k < c.genreOffsets[i + 1]; k++) songs[fill[c.genreIds[k]]++] = i;
    }
    const cdf = new Float64Array(songs.length);
    for (let k = 0; k < g; k++) {
      let total = 0;
      for (let p = offsets[k]; p < offsets[k + 1]; p++) cdf[p] = total += this.quality[songs[p]];
    }
    return [offsets, songs, cdf];
  }

  private buildGenreCentroids(): Float32Array {
    const d = TASTE_DIMENSIONS;
    const g = this.catalog.genreNames.length;
    const centroids = new Float32Array(g * d);
    for (let k = 0; k < g; k++) {
      const lo = this.genreOffsets[k];
      const hi = this.genreOffsets[k + 1];
      for (let p = lo; p < hi; p++) {
        const i = this.genreSongs[p];
        for (let f = 0; f < d; f++) centroids[k * d + f] += this.taste[i * d + f];
      }
      for (let f = 0; f < d; f++) centroids[k * d + f] = hi > lo ? centroids[k * d + f] / (hi - lo) : 0.5;
    }
    return centroids;
  }

  /** For each genre, the other genres ordered by centroid distance (nearest first). */
  private genreNeighbours(): Int32Array[] {
    const g = this.catalog.genreNames.length;
    const out: Int32Array[] = [];
    for (let a = 0; a < g; a++) {
      const others = this.genresWithSongs.filter((b) => b !== a);
      const dist = new Float64Array(g);
      for (let b = 0; b < g; b++) dist[b] = this.genreDistance2(a, b);
      out.push(others.sort((x, y) => dist[x] - dist[y] || x - y));
    }
    return out;
  }

  private genreDistance2(a: number, b: number): number {
    const d = TASTE_DIMENSIONS;
    let s = 0;
    for (let f = 0; f < d; f++) {
      const diff = this.genreCentroids[a * d + f] - this.genreCentroids[b * d + f];
      s += diff * diff;
    }
    return s;
  }

  private buildArchetype(seedGenre: number, neighbours: Int32Array[], rng: Rng): Archetype {
    const o = this.options;
    const d = TASTE_DIMENSIONS;
    const near = rng.shuffle(neighbours[seedGenre].slice(0, GENRE_NEIGHBOURS));
    const genres = Int32Array.from([seedGenre, ...near.slice(0, Math.max(0, o.genresPerArchetype - 1))]);
    const weights = Float32Array.from(genres, (_, k) => (k === 0 ? 1 : 0.3 + 0.5 * rng.next()));

    const centre = new Float32Array(d);
    let weightSum = 0;
    for (let k = 0; k < genres.length; k++) {
      weightSum += weights[k];
      for (let f = 0; f < d; f++) centre[f] += weights[k] * this.genreCentroids[genres[k] * d + f];
    }
    for (let f = 0; f < d; f++) centre[f] = clamp01(centre[f] / weightSum + 0.03 * rng.normal());
    const spread = Float32Array.from({ length: d }, () => 0.15 + 0.15 * rng.next());
    const inverseSpread = spread.map((s) => 1 / s);
    const popularityBias = 0.3 + 1.2 * rng.next();
    const appealSeed = Math.floor(rng.next() * 4294967296);

    // The pool: every song in one of the archetype's genres, weighted by genre weight × feature match ×
    // popularity^bias × hidden appeal; favourite artists are then drawn from it and boosted.
    const c = this.catalog;
    const genreWeight = new Float32Array(c.genreNames.length);
    genres.forEach((g, k) => (genreWeight[g] = weights[k]));
    const members: number[] = [];
    const seen = new Uint8Array(c.size);
    for (const g of genres) {
      for (let p = this.genreOffsets[g]; p < this.genreOffsets[g + 1]; p++) {
        const i = this.genreSongs[p];
        if (!seen[i]) {
          seen[i] = 1;
          members.push(i);
        }
      }
    }
    members.sort((x, y) => x - y);
    const songs = Int32Array.from(members);
    const base = new Float64Array(songs.length);
    for (let k = 0; k < songs.length; k++) {
      const i = songs[k];
      let gw = 0;
      for (let p = c.genreOffsets[i]; p < c.genreOffsets[i + 1]; p++) gw = Math.max(gw, genreWeight[c.genreIds[p]]);
      base[k] =
        gw *
        this.featureMatch(centre, inverseSpread, i) *
        Math.pow(this.quality[i], popularityBias) *
        Math.exp(APPEAL_STRENGTH * hiddenAppeal(appealSeed, i));
    }
    const baseSampler: Sampler = { songs, cdf: cumulative(base), popularityBias };
    const artists = new Set<number>();
    for (let n = 0; n < 4 * o.artistsPerArchetype && artists.size < o.artistsPerArchetype; n++) {
      const i = draw(baseSampler, rng);
      for (let p = c.artistOffsets[i]; p < c.artistOffsets[i + 1]; p++) artists.add(c.artistIds[p]);
    }
    for (let k = 0; k < songs.length; k++) {
      const i = songs[k];
      for (let p = c.artistOffsets[i]; p < c.artistOffsets[i + 1]; p++) {
        if (artists.has(c.artistIds[p])) {
          base[k] *= 1 + ARTIST_BOOST;
          break;
        }
      }
    }
    return {
      genres,
      centre,
      spread,
      popularityBias,
      artists: Int32Array.from(artists),
      appealSeed,
      pool: { songs, cdf: cumulative(base), popularityBias },
    };
  }

  private buildProfile(rng: Rng): Profile {
    const o = this.options;
    const c = this.catalog;
    const d = TASTE_DIMENSIONS;
    const archetypeIndex = rng.int(this.archetypes.length);
    const arch = this.archetypes[archetypeIndex];

    const genreWeight = new Float32Array(c.genreNames.length);
    arch.genres.forEach((g, k) => (genreWeight[g] = (k === 0 ? 1 : 0.55) * Math.exp(0.3 * rng.normal())));
    const centre = Float32Array.from(arch.centre, (v) => clamp01(v + 0.04 * rng.normal()));
    const inverseSpread = Float32Array.from(arch.spread, (s) => 1 / (s * Math.exp(0.15 * rng.normal())));

    // One extra genre of the user's own, near their taste centre but outside the archetype's genres.
    let personalGenre = -1;
    if (rng.next() < 0.8) {
      const candidates = this.genresWithSongs.filter((g) => genreWeight[g] === 0);
      const dist = new Float64Array(c.genreNames.length);
      for (const g of candidates) {
        let s = 0;
        for (let f = 0; f < d; f++) s += (this.genreCentroids[g * d + f] - centre[f]) ** 2;
        dist[g] = s;
      }
      candidates.sort((x, y) => dist[x] - dist[y] || x - y);
      if (candidates.length > 0) {
        personalGenre = candidates[rng.int(Math.min(6, candidates.length))];
        genreWeight[personalGenre] = 0.2 + 0.3 * rng.next();
      }
    }
    let top = 0;
    for (const w of genreWeight) top = Math.max(top, w);
    for (let g = 0; g < genreWeight.length; g++) genreWeight[g] /= top;

    const artists = new Set<number>();
    for (const a of arch.artists) if (rng.next() < 0.5) artists.add(a);
    const personalArtists = Math.ceil(o.artistsPerArchetype / 8);
    for (let n = 0; n < personalArtists; n++) {
      const i =
        personalGenre >= 0
          ? this.genreSongs[
              searchCdf(
                this.genreCdf,
                this.genreOffsets[personalGenre],
                this.genreOffsets[personalGenre + 1],
                rng.next() * this.genreCdf[this.genreOffsets[personalGenre + 1] - 1],
              )
            ]
          : draw(arch.pool, rng);
      if (c.artistOffsets[i + 1] > c.artistOffsets[i]) artists.add(c.artistIds[c.artistOffsets[i]]);
    }

    const { min, mean, max } = o.eventsPerUser;
    const tail = mean > min ? -Math.log(1 - rng.next()) * (mean - min) : 0;
    return {
      archetype: archetypeIndex,
      genreWeight,
      personalGenre,
      centre,
      inverseSpread,
      popularityBias: Math.min(2, Math.max(0, arch.popularityBias + 0.2 * rng.normal())),
      skipPropensity: 0.03 + 0.17 * rng.next(),
      likeRate: 0.35 + 0.5 * rng.next(),
      artists,
      eventTarget: Math.min(max, Math.round(min + tail)),
      streamSeed: Math.floor(rng.next() * 4294967296),
    };
  }

  private describe(id: string, p: Profile): SimulatedUser {
    const c = this.catalog;
    const genres: { genre: string; weight: number }[] = [];
    p.genreWeight.forEach((w, g) => {
      if (w > 0) genres.push({ genre: c.genreNames[g], weight: w });
    });
    genres.sort((a, b) => b.weight - a.weight || a.genre.localeCompare(b.genre));
    const featureCentre = {} as Record<TasteFeature, number>;
    const featureSpread = {} as Record<TasteFeature, number>;
    TASTE_FEATURES.forEach((f, k) => {
      featureCentre[f] = p.centre[k];
      featureSpread[f] = 1 / p.inverseSpread[k];
    });
    return {
      id,
      archetype: p.archetype,
      genres,
      featureCentre,
      featureSpread,
      popularityBias: p.popularityBias,
      skipPropensity: p.skipPropensity,
      likeRate: p.likeRate,
      favouriteArtists: [...p.artists].map((a) => c.artistNames[a]),
      eventTarget: p.eventTarget,
    };
  }
}

/**
 * An archetype's hidden liking for song i: logistic-distributed with standard deviation ≈ 1, derived by
 * hashing (seed, i) so it costs no memory and needs no per-song random state.
 */
function hiddenAppeal(seed: number, i: number): number {
  let h = Math.imul(seed ^ Math.imul(i + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  const u = ((h >>> 0) + 0.5) / 4294967296;
  return 0.5513 * Math.log(u / (1 - u));
}

function draw(sampler: Sampler, rng: Rng): number {
  const n = sampler.cdf.length;
  const k = searchCdf(sampler.cdf, 0, n, rng.next() * sampler.cdf[n - 1]);
  return sampler.songs ? sampler.songs[k] : k;
}

/** First position k in [lo, hi) with cdf[k] > r (hi − 1 if rounding leaves none). */
function searchCdf(cdf: Float64Array, lo: number, hi: number, r: number): number {
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (cdf[mid] > r) b = mid;
    else a = mid + 1;
  }
  return a;
}

function cumulative(weights: Float64Array): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  for (let k = 0; k < weights.length; k++) out[k] = total += weights[k];
  return out;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function resolveOptions(partial: Partial<SimulationOptions>): SimulationOptions {
  const o: SimulationOptions = {
    ...DEFAULT_SIMULATION_OPTIONS,
    ...partial,
    eventsPerUser: { ...DEFAULT_SIMULATION_OPTIONS.eventsPerUser, ...partial.eventsPerUser },
  };
  const fail = (name: string, rule: string, value: unknown) => {
    throw new RangeError(
      `simulation option ${name} must be ${rule}, got ${typeof value === 'number' ? value : JSON.stringify(value)}`,
    );
  };
  const integer = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) fail(name, `an integer ≥ ${min}`, value);
  };
  if (!Number.isFinite(o.seed)) fail('seed', 'a finite number', o.seed);
  integer('users', o.users, 1);
  integer('eventsPerUser.min', o.eventsPerUser.min, 1);
  integer('eventsPerUser.max', o.eventsPerUser.max, o.eventsPerUser.min);
  const { min, mean, max } = o.eventsPerUser;
  if (!(mean >= min && mean <= max)) fail('eventsPerUser.mean', `between min (${min}) and max (${max})`, mean);
  if (!Number.isFinite(o.startTime)) fail('startTime', 'epoch milliseconds', o.startTime);
  if (!(o.durationDays > 0 && Number.isFinite(o.durationDays)))
    fail('durationDays', 'a positive number', o.durationDays);
  integer('archetypes', o.archetypes, 1);
  integer('genresPerArchetype', o.genresPerArchetype, 1);
  integer('artistsPerArchetype', o.artistsPerArchetype, 0);
  for (const name of ['explorationRate', 'personalRate', 'replayRate'] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) fail(name, 'in [0, 1]', o[name]);
  }
  if (o.explorationRate + o.personalRate > 1) {
    fail('explorationRate + personalRate', '≤ 1', o.explorationRate + o.personalRate);
  }
  if (!(o.tracksPerSession >= 1 && Number.isFinite(o.tracksPerSession)))
    fail('tracksPerSession', 'a number ≥ 1', o.tracksPerSession);
  return o;
}
