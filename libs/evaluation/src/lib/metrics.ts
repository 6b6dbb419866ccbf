/**
 * Ranking metrics at K for one user's ranked list against that user's relevant set, following
 * the Microsoft Recommenders `python_evaluation` conventions (binary relevance):
 *
 * - precision@K = hits in the top K / K. K is the divisor even when the list is shorter.
 * - recall@K = hits in the top K / |relevant|.
 * - nDCG@K: DCG = Σ over hits at 1-based rank r ≤ K of 1 / log2(r + 1); ideal DCG puts
 *   min(|relevant|, K) hits at ranks 1…; nDCG = DCG / IDCG. (Recommenders' default natural log
 *   gives the same ratio: the log base cancels.)
 * - MAP@K: average precision = Σ over hits at rank r ≤ K of precision@r, divided by |relevant|
 *   ('relevant', the Recommenders convention and the default here) or by min(K, |relevant|)
 *   ('min-k-relevant', as in RecBole, ml_metrics `apk` and Recommenders' newer `map_at_k`).
 *   The first is the truncated form of full MAP and cannot reach 1 when |relevant| > K.
 * - hit rate@K = 1 if any relevant item is in the top K, else 0.
 *
 * A relevant item repeated in the list counts once (at its first rank). An empty relevant set
 * gives 0 for every metric; the evaluator never asks for one (such users are not evaluated).
 * Averaging over users (each user weighs the same) is done by the caller.
 */

export type MapNormalisation = 'relevant' | 'min-k-relevant';

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
}

/**
 * 1-based ranks (≤ k) at which the list first hits a relevant item, ascending. Exposed so the
 * evaluator computes every metric from one pass.
 */
export function hitRanks<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number): number[] {
  checkK(k);
  const ranks: number[] = [];
  const n = Math.min(k, ranked.length);
  let counted: Set<T> | null = null;
  for (let i = 0; i < n; i++) {
    const item = ranked[i];
    if (!relevant.has(item)) continue;
    counted ??= new Set<T>();
    if (counted.has(item)) continue;
    counted.add(item);
    ranks.push(i + 1);
  }
  return ranks;
}

export function precisionAtK<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number): number {
  return hitRanks(ranked, relevant, k).length / k;
}

export function recallAtK<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number): number {
  if (relevant.size === 0) return 0;
  return hitRanks(ranked, relevant, k).length / relevant.size;
}

/** Σ_{r=1..n} 1/log2(r+1): the ideal DCG of n hits at the top. */
export function idealDcg(n: number): number {
  let s = 0;
  for (let r = 1; r <= n; r++) s += 1 / Math.log2(r + 1);
  return s;
}

export function ndcgFromRanks(ranks: readonly number[], relevantCount: number, k: number): number {
  if (relevantCount === 0) return 0;
  let dcg = 0;
  for (const r of ranks) dcg += 1 / Math.log2(r + 1);
  return dcg / idealDcg(Math.min(relevantCount, k));
}

export function ndcgAtK<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number): number {
  return ndcgFromRanks(hitRanks(ranked, relevant, k), relevant.size, k);
}

export function averagePrecisionFromRanks(
  ranks: readonly number[],
  relevantCount: number,
  k: number,
  normalisation: MapNormalisation = 'relevant',
): number {
  if (relevantCount === 0) return 0;
  let sum = 0;
  // The j-th hit (1-based) at rank r contributes precision@r = j / r.
  for (let j = 0; j < ranks.length; j++) sum += (j + 1) / ranks[j];
  return sum / (normalisation === 'relevant' ? relevantCount : Math.min(k, relevantCount));
}

export interface MapOptions {
  /** Divisor of the per-user sum of precisions; default 'relevant' (Microsoft Recommenders). */
  normalisation?: MapNormalisation;
}

/** Average precision at K for one user; MAP@K is its mean over users. */
export function mapAtK<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number, options: MapOptions = {}): number {
  return averagePrecisionFromRanks(hitRanks(ranked, relevant, k), relevant.size, k, options.normalisation);
}

export function hitRateAtK<T>(ranked: ArrayLike<T>, relevant: ReadonlySet<T>, k: number): number {
  return hitRanks(ranked, relevant, k).length > 0 ? 1 : 0;
}

/**
 * Catalog coverage: share of the item universe (dense indices 0…itemCount−1) recommended to at
 * least one user. Recommenders' `catalog_coverage` divides by the distinct items in train, which
 * is the same universe when the matrix holds only items seen in training.
 */
export function catalogCoverage(lists: Iterable<ArrayLike<number>>, itemCount: number): number {
  if (itemCount <= 0) return 0;
  const seen = new Uint8Array(itemCount);
  let distinct = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (item < 0 || item >= itemCount) throw new Error(`item index ${item} outside 0…${itemCount - 1}`);
      if (!seen[item]) {
        seen[item] = 1;
        distinct++;
      }
    }
  }
  return distinct / itemCount;
}

/**
 * Novelty (Recommenders' `novelty`): mean over every recommendation made of −log2(p(i)), where
 * p(i) = item i's training interaction count / all training interactions. Popular items score low.
 * Items with no training interactions have no defined novelty and are left out of the mean
 * (Recommenders drops them from the sum too, but keeps them in the divisor).
 */
export function novelty(lists: Iterable<ArrayLike<number>>, itemCounts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < itemCounts.length; i++) total += itemCounts[i];
  if (total <= 0) return 0;
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const c = itemCounts[list[i]];
      if (!(c > 0)) continue;
      sum += -Math.log2(c / total);
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
