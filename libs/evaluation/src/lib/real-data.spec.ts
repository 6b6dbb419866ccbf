import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMovieLens100k } from '@encore/datasets';
import {
  buildInteractionMatrix,
  type FitReport,
  type InteractionMatrix,
  type Recommender,
  type Scored,
} from '@encore/features';
import { topK } from '@encore/linalg';
import { evaluateRecommender, stratifiedSplit, trainCount } from '../index';

// The repository's sibling `shared/data`; CI always has it, so a missing file fails loudly.
const DATA = resolve(__dirname, '../../../../../shared/data');

/** Most-interacted items first: the baseline every model must beat. */
class MostPopular implements Recommender {
  readonly kind = 'most-popular';
  private data!: InteractionMatrix;
  private counts!: Float32Array;
  private order!: Int32Array;

  fit(data: InteractionMatrix): FitReport {
    this.data = data;
    this.counts = new Float32Array(data.items);
    for (const c of data.matrix.colIdx) this.counts[c]++;
    // One global ranking, walked per user past their seen items.
    this.order = Int32Array.from(topK(this.counts, data.items).map((s) => s.index));
    return { kind: this.kind, users: data.users, items: data.items, nnz: data.matrix.nnz, elapsedMs: 0 };
  }

  recommend(user: number, k: number): Scored[] {
    const seen = new Set(this.data.seen(user));
    const out: Scored[] = [];
    for (let p = 0; p < this.order.length && out.length < k; p++) {
      const i = this.order[p];
      if (!seen.has(i)) out.push({ index: i, score: this.counts[i] });
    }
    return out;
  }

  scoreAll(_user: number, out: Float32Array): Float32Array {
    out.set(this.counts);
    return out;
  }

  toArtifact() {
    return { kind: this.kind, params: {}, blobs: { counts: this.counts }, meta: {} };
  }
}

describe('MovieLens 100K, Recommenders protocol (stratified 75/25, seed 42, K = 10)', () => {
  const rows = parseMovieLens100k(readFileSync(resolve(DATA, 'ml-100k/u.data'), 'utf8'));
  const { train, test } = stratifiedSplit(rows, { ratio: 0.75, seed: 42 });

  it('splits every user 75/25 (every ML-100K user has ≥ 20 ratings)', () => {
    const perUser = new Map<string, number>();
    for (const r of rows) perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    let expectedTrain = 0;
    for (const n of perUser.values()) expectedTrain += trainCount(n, 0.75);
    expect(train).toHaveLength(expectedTrain);
    expect(train.length + test.length).toBe(100_000);
    expect(new Set(test.map((r) => r.userId)).size).toBe(943);
  });

  it('scores a most-popular baseline in a plausible range', () => {
    const matrix = buildInteractionMatrix(train);
    const model = new MostPopular();
    model.fit(matrix);
    const r = evaluateRecommender(model, matrix, test, { k: 10 });
    expect(r.users).toBe(943);
    // Measured with this split: precision 0.233, recall 0.116, nDCG 0.257, MAP 0.056, hit rate 0.838.
    // The bounds are loose on purpose: they catch a broken pipeline, not small changes.
    expect(r.precision).toBeGreaterThan(0.1);
    expect(r.precision).toBeLessThan(0.3);
    expect(r.ndcg).toBeGreaterThan(0.1);
    expect(r.ndcg).toBeLessThan(0.35);
    expect(r.recall).toBeGreaterThan(r.map);
    expect(r.coverage).toBeLessThan(0.1); // the same few dozen films for everyone
  });
});
