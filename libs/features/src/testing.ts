import type { ModelState } from '@encore/model-artifact';
import {
  buildInteractionMatrix,
  type InteractionEvent,
  type InteractionMatrix,
  type Recommender,
  type Scored,
} from './index';

/**
 * 8 users × 13 items in two taste blocks (u0–u3 on i0–i5, u4–u7 on i6–i11) with a few
 * cross-block plays, graded values, one clamped-to-zero pair (u1: one play, two skips on i2),
 * one dislike (u0 dislikes i5) and one item nobody touched (i12).
 */
export function contractInteractions(): InteractionMatrix {
  const events: InteractionEvent[] = [];
  const play = (u: number, i: number, weight = 1) => events.push({ userId: `u${u}`, itemId: `i${i}`, weight });
  for (let u = 0; u < 4; u++) for (let i = 0; i < 6; i++) if ((u + i) % 3 !== 0) play(u, i, 1 + ((u * 7 + i) % 4));
  for (let u = 4; u < 8; u++) for (let i = 6; i < 12; i++) if ((u + i) % 3 !== 1) play(u, i, 1 + ((u * 5 + i) % 3));
  play(0, 7);
  play(5, 2);
  play(1, 2);
  events.push({ userId: 'u1', itemId: 'i2', event: 'skip' }, { userId: 'u1', itemId: 'i2', event: 'skip' });
  events.push({ userId: 'u0', itemId: 'i5', event: 'dislike' });
  return buildInteractionMatrix(events, {
    users: Array.from({ length: 8 }, (_, u) => `u${u}`),
    items: Array.from({ length: 13 }, (_, i) => `i${i}`),
  });
}

/** A ModelState as it comes back from storage: JSON-copied params/meta, copied blobs. */
export function cloneModelState(state: ModelState): ModelState {
  const blobs: ModelState['blobs'] = {};
  for (const [name, b] of Object.entries(state.blobs)) blobs[name] = b.slice();
  return {
    kind: state.kind,
    params: JSON.parse(JSON.stringify(state.params)),
    blobs,
    meta: JSON.parse(JSON.stringify(state.meta)),
  };
}

export interface RecommenderContractSubject {
  /** A fresh, unfitted model with fixed options (and seed). */
  create(): Recommender;
  /** The model class's static fromArtifact. */
  fromArtifact(state: ModelState): Recommender;
  /** Training data; contractInteractions() when absent. */
  data?: () => InteractionMatrix;
  /** Recommendation list length to check, default 4. */
  k?: number;
}

const ALLOWED_BLOBS = [Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array];

function plain(list: Scored[]): Scored[] {
  return list.map((s) => ({ index: s.index, score: s.score, reason: s.reason ? { ...s.reason } : undefined }));
}

/**
 * The behaviour every Recommender shares. Uses only the describe/it/expect globals and
 * matchers common to Jest and Vitest, so either runner can host it.
 */
export function describeRecommenderContract(name: string, subject: RecommenderContractSubject): void {
  const dataOf = subject.data ?? contractInteractions;
  const k = subject.k ?? 4;
  const fitted = (): { model: Recommender; data: InteractionMatrix } => {
    const data = dataOf();
    const model = subject.create();
    model.fit(data);
    return { model, data };
  };

  describe(`${name} (Recommender contract)`, () => {
    it('refuses to recommend before fit', () => {
      expect(() => subject.create().recommend(0, k)).toThrow();
    });

    it('reports what it was fitted on', () => {
      const data = dataOf();
      const model = subject.create();
      const report = model.fit(data);
      expect(report.kind).toBe(model.kind);
      expect(report.users).toBe(data.users);
      expect(report.items).toBe(data.items);
      expect(report.nnz).toBe(data.nnz);
      expect(report.elapsedMs).toBeGreaterThanOrEqual(0);
    });

    it('returns at most k distinct in-range items, best first, with finite scores and a reason', () => {
      const { model, data } = fitted();
      for (let u = 0; u < data.users; u++) {
        const recs = model.recommend(u, k);
        expect(recs.length).toBeGreaterThan(0);
        expect(recs.length).toBeLessThanOrEqual(k);
        expect(new Set(recs.map((r) => r.index)).size).toBe(recs.length);
        for (let i = 0; i < recs.length; i++) {
          expect(Number.isInteger(recs[i].index) && recs[i].index >= 0 && recs[i].index < data.items).toBe(true);
          expect(Number.isFinite(recs[i].score)).toBe(true);
          if (i > 0) expect(recs[i].score).toBeLessThanOrEqual(recs[i - 1].score);
          expect(typeof recs[i].reason?.source).toBe('string');
          const seed = recs[i].reason?.seedItem;
          if (seed !== undefined) expect(Array.from(data.seen(u))).toContain(seed);
        }
      }
      expect(model.recommend(0, 0)).toEqual([]);
    });

    it("never recommends a user's seen or disliked items", () => {
      const { model, data } = fitted();
      for (let u = 0; u < data.users; u++) {
        const banned = new Set([...data.seen(u), ...data.disliked(u)]);
        for (const r of model.recommend(u, data.items)) expect(banned.has(r.index)).toBe(false);
      }
    });

    it('honours an extra exclude set and otherwise keeps the same order', () => {
      const { model, data } = fitted();
      for (let u = 0; u < data.users; u++) {
        const full = model.recommend(u, k + 2);
        if (full.length < 3) continue;
        const excluded = new Set([full[0].index, full[1].index]);
        const again = model.recommend(u, k, excluded);
        expect(again.map((r) => r.index)).toEqual(full.slice(2, 2 + k).map((r) => r.index));
      }
    });

    it('scoreAll fills the buffer consistently with recommend', () => {
      const { model, data } = fitted();
      const out = new Float32Array(data.items);
      for (let u = 0; u < data.users; u++) {
        expect(model.scoreAll(u, out)).toBe(out);
        for (const v of out) expect(Number.isFinite(v)).toBe(true);
        for (const r of model.recommend(u, k)) expect(r.score).toBeCloseTo(out[r.index], 5);
      }
    });

    it('is deterministic: two fits give the same lists', () => {
      const a = fitted();
      const b = fitted();
      for (let u = 0; u < a.data.users; u++)
        expect(plain(b.model.recommend(u, k))).toEqual(plain(a.model.recommend(u, k)));
    });

    it('survives an artifact round trip with identical recommendations and scores', () => {
      const { model, data } = fitted();
      const state = model.toArtifact();
      expect(state.kind).toBe(model.kind);
      for (const b of Object.values(state.blobs)) expect(ALLOWED_BLOBS.some((t) => b instanceof t)).toBe(true);
      const restored = subject.fromArtifact(cloneModelState(state));
      expect(restored.kind).toBe(model.kind);
      const before = new Float32Array(data.items);
      const after = new Float32Array(data.items);
      for (let u = 0; u < data.users; u++) {
        expect(plain(restored.recommend(u, k))).toEqual(plain(model.recommend(u, k)));
        expect(Array.from(restored.scoreAll(u, after))).toEqual(Array.from(model.scoreAll(u, before)));
      }
    });
  });
}
