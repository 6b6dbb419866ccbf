import type { InteractionMatrix, Scored } from '@encore/features';

/**
 * A multi-valued item attribute (genres, artists) aligned with the item index: item i's values
 * are ids[offsets[i] … offsets[i+1]). Catalog.genreOffsets/genreIds, Catalog.artistOffsets/
 * artistIds and ItemGenres all have this shape.
 */
export interface ItemGroups {
  offsets: Int32Array;
  ids: Int32Array;
}

export interface GroupFilter {
  /** Keep only items with at least one of these group ids (none given: keep all). */
  include?: ArrayLike<number>;
  /** Drop items with any of these group ids. */
  exclude?: ArrayLike<number>;
}

/** Similarity of two items for diversity re-ranking, e.g. ItemFeatures.cosine. */
export type ItemSimilarity = (a: number, b: number) => number;

export interface PostProcessOptions {
  /** Length of the final list. */
  k: number;
  genres?: ItemGroups;
  genreFilter?: GroupFilter;
  /** Extra item indices to leave out. */
  excludeItems?: ReadonlySet<number>;
  /** Leave out this user's permanent dislikes (InteractionMatrix.disliked). */
  dislikes?: { data: InteractionMatrix; user: number };
  /** At most `max` items per artist (an item counts against each of its artists). */
  artistCap?: { artists: ItemGroups; max: number };
  /** Maximal marginal relevance re-ranking (after the filters and the artist cap). */
  mmr?: { lambda: number; similarity: ItemSimilarity };
}

function checkGroups(groups: ItemGroups, item: number): void {
  if (!(item >= 0 && item + 1 < groups.offsets.length)) {
    throw new RangeError(`item ${item} is outside the ${groups.offsets.length - 1} items the group table covers`);
  }
}

function markOf(ids: ArrayLike<number> | undefined): Set<number> | null {
  return ids && ids.length > 0 ? new Set(Array.from(ids)) : null;
}

/** Keeps candidates matching the include list (if any) and none of the exclude list; order is kept. */
export function filterByGroups(candidates: readonly Scored[], groups: ItemGroups, filter: GroupFilter): Scored[] {
  const include = markOf(filter.include);
  const exclude = markOf(filter.exclude);
  if (!include && !exclude) return candidates.slice();
  return candidates.filter((s) => {
    checkGroups(groups, s.index);
    let included = include === null;
    for (let p = groups.offsets[s.index]; p < groups.offsets[s.index + 1]; p++) {
      const g = groups.ids[p];
      if (exclude?.has(g)) return false;
      if (include?.has(g)) included = true;
    }
    return included;
  });
}

/** Drops the given item indices. */
export function withoutItems(candidates: readonly Scored[], items: ReadonlySet<number>): Scored[] {
  return items.size === 0 ? candidates.slice() : candidates.filter((s) => !items.has(s.index));
}

/** Drops the user's permanent dislikes, whatever produced the list. */
export function withoutDislikes(candidates: readonly Scored[], data: InteractionMatrix, user: number): Scored[] {
  if (!(user >= 0 && user < data.users)) return candidates.slice();
  const disliked = new Set(data.disliked(user));
  return disliked.size === 0 ? candidates.slice() : candidates.filter((s) => !disliked.has(s.index));
}

/**
 * Walks the list in order and keeps an item only while every one of its artists has fewer than
 * `max` kept items, stopping at `k` kept. Items without artists are never capped.
 */
export function capPerGroup(
  candidates: readonly Scored[],
  groups: ItemGroups,
  max: number,
  k = candidates.length,
): Scored[] {
  if (!(Number.isInteger(max) && max >= 1)) throw new Error(`per-artist cap must be an integer ≥ 1, got ${max}`);
  const count = new Map<number, number>();
  const out: Scored[] = [];
  for (const s of candidates) {
    if (out.length >= k) break;
    checkGroups(groups, s.index);
    const start = groups.offsets[s.index];
    const end = groups.offsets[s.index + 1];
    let ok = true;
    for (let p = start; p < end && ok; p++) ok = (count.get(groups.ids[p]) ?? 0) < max;
    if (!ok) continue;
    for (let p = start; p < end; p++) count.set(groups.ids[p], (count.get(groups.ids[p]) ?? 0) + 1);
    out.push(s);
  }
  return out;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998) over the candidate list: repeatedly
 * pick argmax λ·rel(i) − (1 − λ)·max_{j picked} sim(i, j), rel being the candidate scores
 * min-max scaled to [0, 1]. λ = 1 keeps the order; lower λ trades relevance for variety.
 * O(k · candidates) similarity calls, never the catalog. Scores are kept as they were.
 */
export function mmrRerank(
  candidates: readonly Scored[],
  k: number,
  lambda: number,
  similarity: ItemSimilarity,
): Scored[] {
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`MMR lambda must be within 0…1, got ${lambda}`);
  const n = candidates.length;
  const take = Math.min(k, n);
  if (take <= 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of candidates) {
    lo = Math.min(lo, s.score);
    hi = Math.max(hi, s.score);
  }
  const span = hi - lo;
  const rel = Float64Array.from(candidates, (s) => (span > 0 ? (s.score - lo) / span : 1));
  // Highest similarity to anything picked so far, updated after each pick.
  const maxSim = new Float64Array(n);
  const picked = new Uint8Array(n);
  const out: Scored[] = [];
  for (let round = 0; round < take; round++) {
    let best = -1;
    let bestValue = 0;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      const value = lambda * rel[i] - (round === 0 ? 0 : (1 - lambda) * maxSim[i]);
      if (best < 0 || value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    picked[best] = 1;
    out.push(candidates[best]);
    const b = candidates[best].index;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      const sim = similarity(candidates[i].index, b);
      if (round === 0 || sim > maxSim[i]) maxSim[i] = sim;
    }
  }
  return out;
}

/**
 * The API's post-processing in one call, over a candidate list (ask the ranker for a few
 * times k): dislikes, excluded ids and the genre filter first, then the per-artist cap, then
 * MMR, then the first k.
 */
export function postProcess(candidates: readonly Scored[], options: PostProcessOptions): Scored[] {
  let list = candidates.slice();
  if (options.dislikes) list = withoutDislikes(list, options.dislikes.data, options.dislikes.user);
  if (options.excludeItems) list = withoutItems(list, options.excludeItems);
  if (options.genreFilter) {
    if (!options.genres) throw new Error('a genre filter needs the item → genres table (genres)');
    list = filterByGroups(list, options.genres, options.genreFilter);
  }
  if (options.artistCap)
    list = capPerGroup(list, options.artistCap.artists, options.artistCap.max, options.mmr ? list.length : options.k);
  if (options.mmr) list = mmrRerank(list, options.k, options.mmr.lambda, options.mmr.similarity);
  return list.slice(0, options.k);
}
