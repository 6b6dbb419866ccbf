import type { FitReport, InteractionMatrix, Recommender, Scored } from '@encore/features';
import type { ModelState } from '@encore/model-artifact';

/**
 * A fake model that ranks items in a fixed order per user id (`rankings[userId]`, else
 * `fallback`), leaving out the user's training and disliked items and `exclude` like a real model.
 * Ids the training matrix does not know are ignored.
 */
export class FixedRankingRecommender implements Recommender {
  readonly kind = 'fixed-ranking';
  private data: InteractionMatrix | null = null;
  fitCount = 0;

  constructor(
    private readonly rankings: Record<string, readonly string[]>,
    private readonly fallback: readonly string[] = [],
  ) {}

  fit(data: InteractionMatrix): FitReport {
    this.data = data;
    this.fitCount++;
    return { kind: this.kind, users: data.users, items: data.items, nnz: data.matrix.nnz, elapsedMs: 0 };
  }

  private ranking(user: number): number[] {
    const data = this.matrix();
    const ids = this.rankings[data.userIds[user]] ?? this.fallback;
    return ids.map((id) => data.itemIndex(id)).filter((i) => i >= 0);
  }

  private matrix(): InteractionMatrix {
    if (!this.data) throw new Error('FixedRankingRecommender used before fit');
    return this.data;
  }

  recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[] {
    const seen = new Set([...this.matrix().seen(user), ...this.matrix().disliked(user)]);
    const ranked = this.ranking(user);
    const out: Scored[] = [];
    for (let p = 0; p < ranked.length && out.length < k; p++) {
      const i = ranked[p];
      if (seen.has(i) || exclude?.has(i)) continue;
      out.push({ index: i, score: ranked.length - p, reason: { source: this.kind } });
    }
    return out;
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    out.fill(-Infinity);
    const ranked = this.ranking(user);
    ranked.forEach((i, p) => (out[i] = ranked.length - p));
    return out;
  }

  toArtifact(): ModelState {
    return { kind: this.kind, params: {}, blobs: {}, meta: { rankings: this.rankings, fallback: this.fallback } };
  }
}
