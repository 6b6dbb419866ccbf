import { Rng } from '@encore/linalg';

/** What a soak request does, and its share of the traffic in percent. */
export const SOAK_MIX = [
  { kind: 'songs-list', percent: 15 },
  { kind: 'songs-search', percent: 10 },
  { kind: 'song-detail', percent: 15 },
  { kind: 'similar', percent: 25 },
  { kind: 'recommendations', percent: 25 },
  { kind: 'feedback', percent: 10 },
] as const;

export type SoakRequestKind = (typeof SOAK_MIX)[number]['kind'];
export const SOAK_KINDS: readonly SoakRequestKind[] = SOAK_MIX.map((m) => m.kind);

/** Feedback events per POST: 1 to this many. */
export const MAX_FEEDBACK_EVENTS = 3;
const FEEDBACK_EVENTS = ['play', 'play', 'play', 'play', 'play', 'like', 'skip'] as const;
const K = 10;
const PAGE_SIZE = 20;

export interface SoakTargets {
  /** Registered listeners (id as the API returned it). */
  listenerIds: readonly string[];
  songIds: readonly string[];
  searchTerms: readonly string[];
  /** Pages of 20 the songs list has. */
  listPages: number;
}

export interface PlannedRequest {
  kind: SoakRequestKind;
  /** Index into listenerIds: whose token the request carries. */
  listener: number;
  method: 'GET' | 'POST';
  path: string;
  /** JSON body of a POST. */
  body?: string;
  /** Client ids of the feedback events in the body. */
  feedbackIds?: string[];
}

/**
 * The soak run's requests, drawn from a seeded RNG in request order: each picks a kind by SOAK_MIX and a
 * listener uniformly; feedback carries 1–3 events (play 5 : like 1 : skip 1) whose client ids `soak-<i>-<k>`
 * are unique across the run, so each acknowledged one can be found in the store afterwards.
 */
export class SoakTraffic {
  private readonly rng: Rng;

  constructor(
    private readonly targets: SoakTargets,
    seed: number,
  ) {
    if (targets.listenerIds.length === 0) throw new Error('soak traffic needs at least one listener');
    if (targets.songIds.length === 0) throw new Error('soak traffic needs at least one song');
    if (targets.searchTerms.length === 0) throw new Error('soak traffic needs at least one search term');
    this.rng = new Rng(seed);
  }

  /** Request i; call with i = 0, 1, 2, … (the draws are sequential). */
  next(i: number): PlannedRequest {
    const { listenerIds, songIds, searchTerms } = this.targets;
    const kind = this.kind();
    const listener = this.rng.int(listenerIds.length);
    const song = (): string => encodeURIComponent(songIds[this.rng.int(songIds.length)]);
    switch (kind) {
      case 'songs-list':
        return {
          kind,
          listener,
          method: 'GET',
          path: `/v1/songs?limit=${PAGE_SIZE}&page=${1 + this.rng.int(Math.max(1, this.targets.listPages))}`,
        };
      case 'songs-search':
        return {
          kind,
          listener,
          method: 'GET',
          path: `/v1/songs?q=${encodeURIComponent(searchTerms[this.rng.int(searchTerms.length)])}&limit=${PAGE_SIZE}`,
        };
      case 'song-detail':
        return { kind, listener, method: 'GET', path: `/v1/songs/${song()}` };
      case 'similar':
        return { kind, listener, method: 'GET', path: `/v1/songs/${song()}/similar?k=${K}` };
      case 'recommendations':
        return {
          kind,
          listener,
          method: 'GET',
          path: `/v1/users/${encodeURIComponent(listenerIds[listener])}/recommendations?k=${K}`,
        };
      case 'feedback': {
        const n = 1 + this.rng.int(MAX_FEEDBACK_EVENTS);
        const feedbackIds: string[] = [];
        const events = [];
        for (let k = 0; k < n; k++) {
          const id = `soak-${i}-${k}`;
          feedbackIds.push(id);
          events.push({
            id,
            songId: songIds[this.rng.int(songIds.length)],
            event: FEEDBACK_EVENTS[this.rng.int(FEEDBACK_EVENTS.length)],
          });
        }
        return {
          kind,
          listener,
          method: 'POST',
          path: `/v1/users/${encodeURIComponent(listenerIds[listener])}/interactions`,
          body: JSON.stringify({ events }),
          feedbackIds,
        };
      }
    }
  }

  private kind(): SoakRequestKind {
    let r = this.rng.next() * 100;
    for (const m of SOAK_MIX) {
      if (r < m.percent) return m.kind;
      r -= m.percent;
    }
    return SOAK_MIX[SOAK_MIX.length - 1].kind;
  }
}

/** Distinct lower-case words of 3+ letters from song names (first word of each), for search requests. */
export function searchTermsFrom(names: readonly string[], limit = 50): string[] {
  const terms = new Set<string>();
  for (const name of names) {
    const word = /\p{L}{3,}/u.exec(name)?.[0]?.toLowerCase();
    if (word) terms.add(word);
    if (terms.size >= limit) break;
  }
  return [...terms];
}
