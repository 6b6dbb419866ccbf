import type { Interaction } from '@encore/datasets';
import { ndcgAtK, positiveFeedback } from '@encore/evaluation';
import type { InteractionMatrix, Recommender } from '@encore/features';
import { HybridRanker, type CandidateList, type HybridComponent } from '@encore/hybrid';

/**
 * How the served hybrid's content and popularity weights are chosen at training time: every pair of
 * `content` × `popularity` weights is scored by nDCG@k on a validation split carved from the training
 * interactions (per listener, `ratio` kept to fit), with the collaborative weights as configured.
 */
export interface EngineWeightSearchOptions {
  /** Content weights to try; include 0 so the blend can fall back to collaborative filtering alone. */
  content: readonly number[];
  /** Popularity weights to try; include 0 likewise. */
  popularity: readonly number[];
  /** Share of each listener's interactions that fits the search's models; the rest validates. In (0, 1). */
  ratio: number;
  seed: number;
  /** List length the validation nDCG is computed at. */
  k: number;
  /** Fewer validation listeners (with a held-out play or like) than this: the configured weights are kept. */
  minListeners: number;
  /** At most this many validation listeners are scored (the first by id), which bounds time and memory. */
  maxListeners: number;
}

/** One searched pair and its validation score. */
export interface EngineWeightTrial {
  content: number;
  popularity: number;
  /** Mean validation nDCG@k over the validation listeners. */
  ndcg: number;
  /** Standard error of the mean per-listener difference to the best trial (0 for the best). */
  seFromBest: number;
}

export type EngineWeightSearchReport =
  | {
      status: 'searched';
      validationListeners: number;
      k: number;
      /** The pair the served model uses. */
      chosen: { content: number; popularity: number };
      /** In the order tried: simplest (least non-collaborative weight) first. */
      trials: EngineWeightTrial[];
      elapsedMs: number;
    }
  | { status: 'skipped'; reason: string; validationListeners: number };

/** The held-out plays and likes per listener (a listener's repeated rows count once). */
export function relevantByListener(rows: readonly Interaction[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!positiveFeedback(row.weight ?? 1, row)) continue;
    let set = out.get(row.userId);
    if (!set) out.set(row.userId, (set = new Set()));
    set.add(row.itemId);
  }
  return out;
}

/** The searched pairs, simplest first: by total non-collaborative weight, then by content weight. */
export function weightCandidates(options: Pick<EngineWeightSearchOptions, 'content' | 'popularity'>): {
  content: number;
  popularity: number;
}[] {
  const pairs: { content: number; popularity: number }[] = [];
  for (const content of new Set(options.content))
    for (const popularity of new Set(options.popularity)) pairs.push({ content, popularity });
  return pairs.sort((a, b) => a.content + a.popularity - (b.content + b.popularity) || a.content - b.content);
}

/**
 * The one-standard-error rule (Breiman et al. 1984; glmnet's lambda.1se) over per-listener scores:
 * `scores[c][u]` is candidate c's score for listener u, candidates ordered simplest first. Returns
 * the first candidate whose mean is below the best mean by at most one standard error of the
 * paired per-listener difference, with the standard errors themselves. A validation split of a few
 * hundred listeners cannot tell apart blends closer than that, so the simpler one is kept rather
 * than the noise's favourite.
 */
export function oneStandardErrorChoice(scores: readonly ArrayLike<number>[]): { index: number; seFromBest: number[] } {
  if (scores.length === 0) throw new Error('weight search: no candidates');
  const n = scores[0].length;
  const means = scores.map((s) => {
    if (s.length !== n) throw new Error('weight search: candidates scored on different listeners');
    let sum = 0;
    for (let u = 0; u < n; u++) sum += s[u];
    return n > 0 ? sum / n : 0;
  });
  let best = 0;
  for (let c = 1; c < means.length; c++) if (means[c] > means[best]) best = c;
  const seFromBest = scores.map((s, c) => {
    if (c === best || n < 2) return 0;
    const gap = means[best] - means[c];
    let ss = 0;
    for (let u = 0; u < n; u++) {
      const d = scores[best][u] - s[u] - gap;
      ss += d * d;
    }
    return Math.sqrt(ss / (n - 1) / n);
  });
  const index = means.findIndex((m, c) => means[best] - m <= seFromBest[c]);
  return { index, seFromBest };
}

/** The components the search blends, fitted on the search's training part. */
export interface WeightSearchComponents {
  data: InteractionMatrix;
  als: Recommender;
  itemKnn: Recommender;
  content: Recommender;
  popularity: Recommender;
  /** Collaborative weights, kept as configured. */
  weights: { als: number; itemKnn: number };
  candidates: number;
}

/**
 * Scores every candidate pair on the validation listeners and picks one by the one-standard-error
 * rule. All candidates share one candidate-list cache, so each component scores a listener once
 * and a trial only re-blends. `validation` maps listener ids to their held-out relevant song ids;
 * listeners unknown to `parts.data` are left out.
 */
export function searchEngineWeights(
  parts: WeightSearchComponents,
  validation: ReadonlyMap<string, ReadonlySet<string>>,
  options: EngineWeightSearchOptions,
): EngineWeightSearchReport {
  const start = performance.now();
  const { data } = parts;
  const listeners = [...validation.keys()]
    .filter((id) => data.userIndex(id) >= 0)
    .sort()
    .slice(0, options.maxListeners);
  if (listeners.length < options.minListeners) {
    return {
      status: 'skipped',
      reason: `${listeners.length} validation listeners, fewer than ${options.minListeners}`,
      validationListeners: listeners.length,
    };
  }
  const cache = new Map<number, CandidateList[]>();
  const candidates = weightCandidates(options);
  const scores = candidates.map(({ content, popularity }) => {
    const components: HybridComponent[] = [
      { name: 'als', model: parts.als, weight: parts.weights.als },
      { name: 'item-knn', model: parts.itemKnn, weight: parts.weights.itemKnn },
      { name: 'content', model: parts.content, weight: content },
      { name: 'popularity', model: parts.popularity, weight: popularity },
    ];
    const ranker = new HybridRanker(components, {
      candidates: parts.candidates,
      fitComponents: false,
      explain: false,
    }).shareCandidateCache(cache);
    ranker.fit(data);
    const perListener = new Float64Array(listeners.length);
    listeners.forEach((id, u) => {
      const list = ranker.recommend(data.userIndex(id), options.k).map((s) => data.itemIds[s.index]);
      perListener[u] = ndcgAtK(list, validation.get(id) as ReadonlySet<string>, options.k);
    });
    return perListener;
  });
  const { index, seFromBest } = oneStandardErrorChoice(scores);
  return {
    status: 'searched',
    validationListeners: listeners.length,
    k: options.k,
    chosen: candidates[index],
    trials: candidates.map((c, t) => ({
      ...c,
      ndcg: scores[t].reduce((s, x) => s + x, 0) / listeners.length,
      seFromBest: seFromBest[t],
    })),
    elapsedMs: performance.now() - start,
  };
}
