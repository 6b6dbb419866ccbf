import type { Interaction } from '@encore/datasets';
import type { InteractionMatrix, Recommender } from '@encore/features';
import { topK } from '@encore/linalg';
import {
  averagePrecisionFromRanks,
  catalogCoverage,
  hitRanks,
  ndcgFromRanks,
  novelty,
  type MapNormalisation,
} from './metrics';

/** What the evaluator needs from a model: ranked lists by dense user index. */
export type RankingModel = Pick<Recommender, 'recommend' | 'scoreAll'>;

export interface EvaluateOptions {
  k: number;
  /**
   * Leave each user's training items out of the list (default true, the usual protocol: the
   * model's `recommend`). With false, lists come from `scoreAll` so training items can appear.
   */
  excludeSeen?: boolean;
  /** Which test rows count as relevant (default: all, the Recommenders protocol for MovieLens). */
  relevance?: (weight: number, row: Interaction) => boolean;
  /**
   * Test users absent from the training matrix cannot get a personalised list. 'skip' (default)
   * leaves them out, as Recommenders does by evaluating only users present in both the truth and
   * the predictions; 'count-empty' scores them 0 on every ranking metric.
   */
  unknownUsers?: 'skip' | 'count-empty';
  /** Evaluate all test users (default) or only these user ids. */
  users?: 'all-test-users' | readonly string[];
  mapNormalisation?: MapNormalisation;
}

export interface MetricValues {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  coverage: number;
  novelty: number;
}

export type MetricName = keyof MetricValues;

export const METRIC_NAMES: readonly MetricName[] = [
  'precision',
  'recall',
  'ndcg',
  'map',
  'hitRate',
  'coverage',
  'novelty',
];

export interface EvaluationResult extends MetricValues {
  k: number;
  /** Users the ranking metrics are averaged over. */
  users: number;
  /** Test users left out because the training matrix does not know them. */
  skippedUsers: number;
}

/**
 * A relevance rule for Encore's own event logs: a held-out row is relevant unless it is a skip
 * or a dislike, or has a non-positive weight. Rating datasets (MovieLens) use the default, where
 * every held-out row is relevant.
 */
export function positiveFeedback(weight: number, row: Interaction): boolean {
  return weight > 0 && row.event !== 'skip' && row.event !== 'dislike';
}

/** Number of stored training entries per item (distinct users per item). */
export function itemInteractionCounts(train: InteractionMatrix): Int32Array {
  const counts = new Int32Array(train.items);
  const cols = train.matrix.colIdx;
  for (let i = 0; i < cols.length; i++) counts[cols[i]]++;
  return counts;
}

/**
 * Offline evaluation of a fitted model: for each test user with at least one relevant test row,
 * take the model's top-k list for that user and compare it (by item id) with the user's relevant
 * test items. Ranking metrics are means over users; coverage and novelty are over all lists.
 *
 * The relevant set is a set: repeated test rows for one item count once. Test items missing from
 * the training item universe stay in |relevant| but can never be hit, which lowers recall, nDCG
 * and MAP just as in Recommenders (where such items are never predicted).
 */
export function evaluateRecommender(
  model: RankingModel,
  train: InteractionMatrix,
  test: readonly Interaction[],
  options: EvaluateOptions,
): EvaluationResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  const excludeSeen = options.excludeSeen ?? true;
  const relevance = options.relevance;
  const only = options.users && options.users !== 'all-test-users' ? new Set(options.users) : null;

  const relevantByUser = new Map<string, Set<string>>();
  for (const row of test) {
    if (only && !only.has(row.userId)) continue;
    if (relevance && !relevance(row.weight ?? 1, row)) continue;
    let set = relevantByUser.get(row.userId);
    if (!set) relevantByUser.set(row.userId, (set = new Set()));
    set.add(row.itemId);
  }

  const lists: Int32Array[] = [];
  const scores = excludeSeen ? null : new Float32Array(train.items);
  let users = 0;
  let skippedUsers = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  let hitRate = 0;
  for (const [userId, relevant] of relevantByUser) {
    const u = train.userIndex(userId);
    if (u < 0) {
      if (options.unknownUsers === 'count-empty') users++;
      else skippedUsers++;
      continue;
    }
    users++;
    const recs = scores ? topK(model.scoreAll(u, scores), k) : model.recommend(u, k);
    const list = new Int32Array(Math.min(k, recs.length));
    const ids: string[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      list[i] = recs[i].index;
      ids[i] = train.itemIds[recs[i].index];
    }
    lists.push(list);
    const ranks = hitRanks(ids, relevant, k);
    precision += ranks.length / k;
    recall += ranks.length / relevant.size;
    ndcg += ndcgFromRanks(ranks, relevant.size, k);
    map += averagePrecisionFromRanks(ranks, relevant.size, k, options.mapNormalisation);
    hitRate += ranks.length > 0 ? 1 : 0;
  }
  const mean = (s: number) => (users === 0 ? 0 : s / users);
  return {
    k,
    users,
    skippedUsers,
    precision: mean(precision),
    recall: mean(recall),
    ndcg: mean(ndcg),
    map: mean(map),
    hitRate: mean(hitRate),
    coverage: catalogCoverage(lists, train.items),
    novelty: novelty(lists, itemInteractionCounts(train)),
  };
}
