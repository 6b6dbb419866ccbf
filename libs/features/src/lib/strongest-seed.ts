import type { Reason } from './recommender';

/**
 * The seen item contributing most to a recommendation ("because you liked …"): the largest
 * positive `contribution(item, value)` over the user's seen items and their interaction values.
 * Without any positive contribution the reason names only the source.
 */
export function strongestSeed(
  source: string,
  seen: ArrayLike<number>,
  values: ArrayLike<number>,
  contribution: (item: number, value: number) => number,
): Reason {
  let best = -1;
  let bestScore = 0;
  for (let p = 0; p < seen.length; p++) {
    const s = contribution(seen[p], values[p]);
    if (s > bestScore) {
      bestScore = s;
      best = seen[p];
    }
  }
  return best >= 0 ? { source, seedItem: best } : { source };
}
