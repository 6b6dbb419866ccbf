import {
  InteractionMatrix,
  assertFitted,
  assertScoreBuffer,
  assertUser,
  type FitReport,
  type Reason,
  type Recommender,
  type Scored,
} from '@encore/features';
import type { Interaction } from '@encore/datasets';
import { gridSearch, randomSearch, type NumericRange, type SearchOptions, type SearchResult } from '@encore/evaluation';
import { TopK } from '@encore/linalg';
import type { Blob, ModelState } from '@encore/model-artifact';
import { DEFAULT_COMPONENT_DECODERS, type ComponentDecoder } from './component-decoders';
import { PopularityRanker } from './popularity-ranker';

/**
 * What a component contributes: collaborative models lose weight for users with little history
 * (see HybridRankerOptions.fullHistory); content and popularity keep theirs.
 */
export type ComponentRole = 'collaborative' | 'content' | 'popularity';

export interface HybridComponent {
  /** Unique, artifact-safe name (letters, digits, _ and -), e.g. 'als'. */
  name: string;
  model: Recommender;
  weight: number;
  /** Default: 'popularity' for a PopularityRanker, 'content' for kind 'content', else 'collaborative'. */
  role?: ComponentRole;
}

/**
 * How one component's scores for a user become comparable with another's. All three work on
 * the component's own top-M list for the user (its best M unseen items):
 * - 'minmax': (s − s_M) / (s_1 − s_M), so the best item is 1 and the M-th is 0;
 * - 'zscore': (s − mean) / std over the list;
 * - 'rrf': reciprocal rank fusion, 1 / (rrfK + rank).
 * An item outside the list counts as if it were the M-th (minmax, zscore) or unranked (rrf, 0).
 */
export type ScoreNormalisation = 'minmax' | 'zscore' | 'rrf';

export interface HybridRankerOptions {
  /** Default 'minmax'. */
  normalisation: ScoreNormalisation;
  /** M: the depth of each component's candidate list per user. Default 200. */
  candidates: number;
  /** The k of reciprocal rank fusion. Default 60 (Cormack et al. 2009). */
  rrfK: number;
  /**
   * Positive interactions at which collaborative components get their full weight. Below it their
   * weight is scaled by (positives / fullHistory), so a listener with one or two plays is served
   * mostly by content and popularity. 0 turns the rule off. Default 5.
   */
  fullHistory: number;
  /** fit() fits every component on the data (default). False: they are already fitted on it. */
  fitComponents: boolean;
  /**
   * Ask the main contributing component for its full reason (seed song) for each returned item
   * (default). Off, reasons carry only the source; weight searches turn it off since metrics
   * ignore reasons and explaining is most of a re-blend's cost.
   */
  explain: boolean;
}

export const DEFAULT_HYBRID_OPTIONS: Readonly<HybridRankerOptions> = Object.freeze({
  normalisation: 'minmax',
  candidates: 200,
  rrfK: 60,
  fullHistory: 5,
  fitComponents: true,
  explain: true,
});

/** A component's top-M unseen items for one user, best first (ties: lower index first). */
export interface CandidateList {
  index: Int32Array;
  score: Float32Array;
}

/**
 * Per-item explanation. ScoringRecommender models have it (protected for now; the hybrid uses it
 * when present, so only the k returned items are explained, not every candidate).
 */
interface ExplainsItems {
  explain(user: number, item: number): Reason;
}

/** Optional fold-in explanation some components offer (ContentRecommender does). */
interface ExplainsInteractions {
  explainInteractions(items: ArrayLike<number>, values: ArrayLike<number>, item: number): Reason;
}

/** Why component c put `item` in the list. */
type ReasonOf = (component: number, item: number) => Reason;

interface Resolved {
  name: string;
  model: Recommender;
  weight: number;
  role: ComponentRole;
}

/**
 * One component's normalisation for one user's list: the value of the entry at list position t
 * with raw score x, and `floor` for items outside the list. A plain class (no closures) so the
 * blend loop stays monomorphic.
 */
class Normaliser {
  constructor(
    /** ≥ 0: reciprocal rank fusion with this k; −1: linear (x − centre) / spread. */
    readonly rrfK: number,
    readonly centre: number,
    /** 0 for a list whose scores are all equal: the component then has no opinion (all 0). */
    readonly spread: number,
    readonly floor: number,
  ) {}

  value(t: number, x: number): number {
    if (this.rrfK >= 0) return 1 / (this.rrfK + t + 1);
    return this.spread > 0 ? (x - this.centre) / this.spread : 0;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const RESERVED = new Set(['interactions', 'dislikes']);
const ALIASES_KEY = 'blobAliases';
const SHARED_USER_IDS = '$userIds';
const SHARED_ITEM_IDS = '$itemIds';
// Module constants rather than the globals: cheaper in hot loops under Jest's vm sandbox.
const NEGATIVE_INFINITY = -Infinity;
const POSITIVE_INFINITY = Infinity;
const NORMALISATION = 'normalisation';

/**
 * A weighted blend of recommenders fitted on the same interaction matrix (ALS, item-kNN,
 * EASE, content, popularity). For a user, every component with a non-zero weight ranks its
 * top M unseen items (its ordinary recommend(), so it also explains them); scores are
 * normalised per component and user (ScoreNormalisation), multiplied by the weights and summed
 * over the union of the lists. Nothing is combined over the whole catalog: the request costs
 * each component's own scoring pass plus O(M · components).
 *
 * Every item carries the reason of the component whose normalised, weighted score lifted it
 * most above that component's floor, seed song included ("because you liked …").
 *
 * Cold start: a user without positive interactions gets the popularity component's ranking
 * (a PopularityRanker with weight 0 is added when none is given); users with fewer than
 * `fullHistory` positive interactions get proportionally less collaborative weight. A song
 * with no plays at all is still reachable through the content component.
 *
 * Artifacts nest the components: blob `<name>.<blob>`, with blobs shared between components
 * (the same interaction matrix) stored once and aliased; see toArtifact.
 */
export class HybridRanker implements Recommender {
  readonly kind = 'hybrid';
  readonly options: HybridRankerOptions;
  private readonly parts: Resolved[];
  private readonly popularityIndex: number;
  private data: InteractionMatrix | null = null;
  private cache: Map<number, CandidateList[]> | null = null;
  private scratchScores: Float32Array | null = null;
  private scratchPositions: Int32Array[] = [];
  private scratchMarks: Uint8Array | null = null;

  constructor(components: readonly HybridComponent[], options: Partial<HybridRankerOptions> = {}) {
    this.options = { ...DEFAULT_HYBRID_OPTIONS, ...options };
    const o = this.options;
    if (!['minmax', 'zscore', 'rrf'].includes(o.normalisation))
      throw new Error(`hybrid: unknown normalisation "${o.normalisation}"`);
    if (!(Number.isInteger(o.candidates) && o.candidates >= 1))
      throw new Error(`hybrid: candidates must be an integer ≥ 1, got ${o.candidates}`);
    if (!(o.rrfK >= 0)) throw new Error(`hybrid: rrfK must be ≥ 0, got ${o.rrfK}`);
    if (!(o.fullHistory >= 0)) throw new Error(`hybrid: fullHistory must be ≥ 0, got ${o.fullHistory}`);
    if (components.length === 0) throw new Error('hybrid: needs at least one component');
    const names = new Set<string>();
    this.parts = components.map((c) => {
      if (!NAME.test(c.name) || RESERVED.has(c.name)) {
        throw new Error(
          `hybrid: component name "${c.name}" must be 1–32 letters, digits, _ or - and not "interactions"/"dislikes"`,
        );
      }
      if (names.has(c.name)) throw new Error(`hybrid: component name "${c.name}" is used twice`);
      names.add(c.name);
      if (!(Number.isFinite(c.weight) && c.weight >= 0))
        throw new Error(`hybrid: weight of "${c.name}" must be finite and ≥ 0, got ${c.weight}`);
      const isPopularity = c.model instanceof PopularityRanker;
      if (c.role === 'popularity' && !isPopularity)
        throw new Error(`hybrid: "${c.name}" has role popularity but is not a PopularityRanker`);
      const role: ComponentRole = isPopularity
        ? 'popularity'
        : (c.role ?? (c.model.kind === 'content' ? 'content' : 'collaborative'));
      return { name: c.name, model: c.model, weight: c.weight, role };
    });
    let pop = this.parts.findIndex((p) => p.role === 'popularity');
    if (pop < 0) {
      if (names.has('popularity')) throw new Error('hybrid: a component named "popularity" must be a PopularityRanker');
      // Cold start needs a ranking that does not depend on the user.
      this.parts.push({ name: 'popularity', model: new PopularityRanker(), weight: 0, role: 'popularity' });
      pop = this.parts.length - 1;
    }
    this.popularityIndex = pop;
  }

  /** The components as blended (including an added cold-start popularity component). */
  get components(): readonly HybridComponent[] {
    return this.parts.map((p) => ({ name: p.name, model: p.model, weight: p.weight, role: p.role }));
  }

  get weights(): Record<string, number> {
    return Object.fromEntries(this.parts.map((p) => [p.name, p.weight]));
  }

  get popularity(): PopularityRanker {
    return this.parts[this.popularityIndex].model as PopularityRanker;
  }

  get interactions(): InteractionMatrix {
    return assertFitted(this.kind, this.data);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const fits: Record<string, FitReport> = {};
    for (const p of this.parts) {
      // The added popularity fallback is never pre-fitted by the caller.
      if (this.options.fitComponents || (p.role === 'popularity' && !(p.model as PopularityRanker).isFitted))
        fits[p.name] = p.model.fit(data);
    }
    // Refitted components invalidate any shared lists; a ranker over pre-fitted ones keeps them.
    if (this.options.fitComponents) this.cache = null;
    this.install(data);
    return {
      kind: this.kind,
      users: data.users,
      items: data.items,
      nnz: data.nnz,
      elapsedMs: performance.now() - start,
      details: { weights: this.weights, normalisation: this.options.normalisation, components: fits },
    };
  }

  private install(data: InteractionMatrix): void {
    this.data = data;
    this.scratchScores = null;
    this.scratchPositions = [];
    this.scratchMarks = null;
  }

  /**
   * Keeps every user's candidate lists once computed, so models that differ only in weights or
   * normalisation (a weight search) share the components' work. The lists hold all components,
   * weighted or not. Pass the same map to every ranker built over the same fitted components.
   */
  shareCandidateCache(cache: Map<number, CandidateList[]>): this {
    this.cache = cache;
    return this;
  }

  /**
   * Searches the component weights (and optionally the normalisation) on a validation split with
   * @encore/evaluation's gridSearch/randomSearch, recording every trial. Each component is
   * fitted once on `train`, and every trial's ranker shares one candidate cache, so a trial
   * costs a re-blend of cached lists rather than a pass of every model over the catalog.
   * `validation` must come from outside `train` (e.g. a split of the training data), never
   * from the test split.
   */
  static tune(
    components: readonly HybridComponent[],
    train: InteractionMatrix,
    validation: readonly Interaction[],
    options: HybridTuneOptions,
  ): HybridTuneResult {
    return tuneHybrid(components, train, validation, options);
  }

  /** Component weights for a user with `positives` positive interactions (the history-length rule). */
  effectiveWeights(positives: number): Float64Array {
    const full = this.options.fullHistory;
    const shrink = full > 0 ? Math.min(1, positives / full) : 1;
    return Float64Array.from(this.parts, (p) => (p.role === 'collaborative' ? p.weight * shrink : p.weight));
  }

  recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[] {
    const data = this.interactions;
    assertUser(this.kind, user, data.users);
    if (k <= 0) return [];
    const positives = countPositive(data.values(user));
    const weights = this.effectiveWeights(positives);
    if (positives === 0 || !weights.some((w) => w > 0)) return this.popularity.recommend(user, k, exclude);
    const lists = this.listsFor(user, weights);
    const reasonOf: ReasonOf = (c, item) => explainItem(this.parts[c].model, user, item);
    return this.blend(lists, weights, k, exclude, (i) => isSeenOrDisliked(data, user, i), reasonOf);
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const data = this.interactions;
    assertUser(this.kind, user, data.users);
    assertScoreBuffer(this.kind, out, data.items);
    const positives = countPositive(data.values(user));
    const weights = this.effectiveWeights(positives);
    if (positives === 0 || !weights.some((w) => w > 0)) return this.popularity.scoreAll(user, out);
    return this.fill(this.listsFor(user, weights), weights, out);
  }

  /**
   * Fold-in for a guest or new user described by (items, values): every weighted component that
   * can score interactions (scoreInteractions) or is the popularity ranker takes part. Without
   * positive values this is the popularity ranking. `items` are left out of the result.
   */
  recommendForInteractions(
    items: ArrayLike<number>,
    values: ArrayLike<number>,
    k: number,
    exclude?: ReadonlySet<number>,
  ): Scored[] {
    const n = this.interactions.items;
    if (items.length !== values.length) throw new Error(`hybrid: ${items.length} items but ${values.length} values`);
    if (k <= 0) return [];
    const given = new Set<number>();
    for (let t = 0; t < items.length; t++) {
      if (!(Number.isInteger(items[t]) && items[t] >= 0 && items[t] < n))
        throw new RangeError(`hybrid: item index ${items[t]} is outside the ${n} items`);
      given.add(items[t]);
    }
    const weights = this.foldInWeights(values);
    if (!weights.some((w) => w > 0)) {
      const banned = new Set<number>(exclude);
      for (const i of given) banned.add(i);
      return this.popularity.recommend(-1, k, banned);
    }
    const reasonOf: ReasonOf = (c, item) => {
      const model = this.parts[c].model;
      return hasExplainInteractions(model) ? model.explainInteractions(items, values, item) : { source: model.kind };
    };
    const lists = this.foldInLists(items, values, given, weights);
    return this.blend(lists, weights, k, exclude, (i) => given.has(i), reasonOf);
  }

  /** Fold-in scores for every item, consistent with recommendForInteractions. */
  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    const n = this.interactions.items;
    assertScoreBuffer(this.kind, out, n);
    const weights = this.foldInWeights(values);
    if (!weights.some((w) => w > 0)) return this.popularity.scoreAll(-1, out);
    return this.fill(this.foldInLists(items, values, new Set(Array.from(items)), weights), weights, out);
  }

  /**
   * Cold start without any history: the global popularity ranking, or with `genres` the most
   * popular items of those genres (needs a PopularityRanker fitted with itemGenres), merged by score.
   */
  coldStart(k: number, options: { genres?: readonly string[]; exclude?: ReadonlySet<number> } = {}): Scored[] {
    const pop = this.popularity;
    const genres = options.genres ?? [];
    if (genres.length === 0) return pop.recommend(-1, k, options.exclude);
    const seen = new Set<number>();
    const merged: Scored[] = [];
    for (const g of genres) {
      for (const s of pop.recommendInGenre(g, k, -1, options.exclude)) {
        if (seen.has(s.index)) continue;
        seen.add(s.index);
        merged.push(s);
      }
    }
    return merged.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
  }

  /** "More like this" from the content component if there is one, else the first component that can. */
  similarItems(item: number, k: number): Scored[] {
    const ordered = [
      ...this.parts.filter((p) => p.role === 'content'),
      ...this.parts.filter((p) => p.role !== 'content'),
    ];
    const source = ordered.find((p) => typeof p.model.similarItems === 'function');
    if (!source?.model.similarItems) throw new Error('hybrid: no component can find similar items');
    return source.model.similarItems(item, k);
  }

  /** Zero weights for a guest without positive values (popularity serves them). */
  private foldInWeights(values: ArrayLike<number>): Float64Array {
    const positives = countPositive(values);
    const weights = this.effectiveWeights(positives);
    if (positives === 0) weights.fill(0);
    // Components that cannot fold a user in sit this one out.
    this.parts.forEach((p, c) => {
      if (p.role !== 'popularity' && typeof p.model.scoreInteractions !== 'function') weights[c] = 0;
    });
    return weights;
  }

  /** Each weighted component's top-M list for a fitted user (from the shared cache when there is one). */
  private listsFor(user: number, weights: Float64Array): (CandidateList | null)[] {
    const cached = this.cache?.get(user);
    if (cached) return cached;
    const data = this.interactions;
    const buf = this.scoreBuffer();
    const lists = this.parts.map((p, c) => {
      if (!this.cache && !(weights[c] > 0)) return null;
      p.model.scoreAll(user, buf);
      // What the component's own recommend() would leave out.
      for (const i of data.seen(user)) buf[i] = NEGATIVE_INFINITY;
      for (const i of data.disliked(user)) buf[i] = NEGATIVE_INFINITY;
      return this.topCandidates(buf);
    });
    if (this.cache) this.cache.set(user, lists as CandidateList[]);
    return lists;
  }

  private scoreBuffer(): Float32Array {
    const n = this.interactions.items;
    if (!this.scratchScores || this.scratchScores.length !== n) this.scratchScores = new Float32Array(n);
    return this.scratchScores;
  }

  /** The top M finite scores of `buf`, best first, ties to the lower index (as rankUnseen/topK). */
  private topCandidates(buf: Float32Array): CandidateList {
    const m = this.options.candidates;
    const heap = new TopK(m);
    const n = this.interactions.items;
    // Scanning upwards, an equal score never displaces a kept one (ties go to the lower index),
    // so once the heap is full only a strictly higher score needs a push.
    let threshold = NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const s = buf[i];
      // NaN and −∞ fail the comparisons; +∞ is left out as it cannot be normalised.
      if (!(s > threshold) && !(heap.length < m && s > NEGATIVE_INFINITY)) continue;
      if (!(s < POSITIVE_INFINITY)) continue;
      heap.push(i, s);
      if (heap.length === m) threshold = heap.threshold;
    }
    const top = heap.toSorted();
    return { index: Int32Array.from(top, (t) => t.index), score: Float32Array.from(top, (t) => t.score) };
  }

  private foldInLists(
    items: ArrayLike<number>,
    values: ArrayLike<number>,
    given: ReadonlySet<number>,
    weights: Float64Array,
  ): (CandidateList | null)[] {
    const buf = this.scoreBuffer();
    return this.parts.map((p, c) => {
      if (!(weights[c] > 0)) return null;
      if (p.role === 'popularity') this.popularity.scoreAll(-1, buf);
      else
        (p.model.scoreInteractions as NonNullable<Recommender['scoreInteractions']>).call(p.model, items, values, buf);
      for (const i of given) buf[i] = NEGATIVE_INFINITY;
      return this.topCandidates(buf);
    });
  }

  private normaliser(list: CandidateList): Normaliser {
    const len = Math.min(list.index.length, this.options.candidates);
    const s = list.score;
    if (this.options.normalisation === 'rrf') return new Normaliser(this.options.rrfK, 0, 0, 0);
    if (len === 0) return new Normaliser(-1, 0, 0, 0);
    const lo = s[len - 1];
    if (this.options.normalisation === 'zscore') {
      let mean = 0;
      for (let t = 0; t < len; t++) mean += s[t];
      mean /= len;
      let v = 0;
      for (let t = 0; t < len; t++) v += (s[t] - mean) * (s[t] - mean);
      const std = Math.sqrt(v / len);
      return std > 0 ? new Normaliser(-1, mean, std, (lo - mean) / std) : new Normaliser(-1, 0, 0, 0);
    }
    const span = s[0] - lo;
    return new Normaliser(-1, lo, span > 0 ? span : 0, 0);
  }

  /** Positions of each list's items in a per-component scratch map (−1 = not listed); returns the touched items. */
  private positions(
    lists: readonly (CandidateList | null)[],
    weights: Float64Array,
  ): { pos: Int32Array[]; touched: number[] } {
    const n = this.interactions.items;
    const m = this.options.candidates;
    const touched: number[] = [];
    const { pos, mark } = this.scratch(n);
    for (let c = 0; c < this.parts.length; c++) {
      const list = lists[c];
      if (!list || !(weights[c] > 0)) continue;
      const len = Math.min(list.index.length, m);
      for (let t = 0; t < len; t++) {
        const i = list.index[t];
        pos[c][i] = t;
        if (mark[i] === 0) {
          mark[i] = 1;
          touched.push(i);
        }
      }
    }
    for (const i of touched) mark[i] = 0;
    return { pos, touched };
  }

  /** Per-component position maps (all −1 between calls) and the touched mark, sized to the items. */
  private scratch(n: number): { pos: Int32Array[]; mark: Uint8Array } {
    if (!this.scratchMarks || this.scratchMarks.length !== n) {
      this.scratchPositions = this.parts.map(() => new Int32Array(n).fill(-1));
      this.scratchMarks = new Uint8Array(n);
    }
    return { pos: this.scratchPositions, mark: this.scratchMarks };
  }

  private clearPositions(lists: readonly (CandidateList | null)[], pos: Int32Array[]): void {
    const m = this.options.candidates;
    lists.forEach((list, c) => {
      if (!list) return;
      const len = Math.min(list.index.length, m);
      for (let t = 0; t < len; t++) pos[c][list.index[t]] = -1;
    });
  }

  /** Σ_c w_c · norm_c(item), always summed in component order so recommend() and scoreAll() agree to the last bit. */
  private combine(
    item: number,
    lists: readonly (CandidateList | null)[],
    norms: readonly (Normaliser | null)[],
    weights: Float64Array,
    pos: readonly Int32Array[],
  ): number {
    let score = 0;
    for (let c = 0; c < norms.length; c++) {
      const nm = norms[c];
      if (!nm) continue;
      const t = pos[c][item];
      score += weights[c] * (t >= 0 ? nm.value(t, (lists[c] as CandidateList).score[t]) : nm.floor);
    }
    return score;
  }

  /** The component that lifted `item` most above its own floor (−1 when no list has it). */
  private mainContributor(
    item: number,
    lists: readonly (CandidateList | null)[],
    norms: readonly (Normaliser | null)[],
    weights: Float64Array,
    pos: readonly Int32Array[],
  ): number {
    let best = -1;
    let bestGain = 0;
    for (let c = 0; c < norms.length; c++) {
      const nm = norms[c];
      const t = nm ? pos[c][item] : -1;
      if (!nm || t < 0) continue;
      const gain = weights[c] * (nm.value(t, (lists[c] as CandidateList).score[t]) - nm.floor);
      if (best < 0 || gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    return best;
  }

  private norms(lists: readonly (CandidateList | null)[], weights: Float64Array): (Normaliser | null)[] {
    return lists.map((list, c) => (list && weights[c] > 0 ? this.normaliser(list) : null));
  }

  private blend(
    lists: readonly (CandidateList | null)[],
    weights: Float64Array,
    k: number,
    exclude: ReadonlySet<number> | undefined,
    isBanned: (item: number) => boolean,
    reasonOf: ReasonOf,
  ): Scored[] {
    const norms = this.norms(lists, weights);
    const { pos, touched } = this.positions(lists, weights);
    const floor = this.floorScore(norms, weights);
    const heap = new TopK(k);
    for (const i of touched) {
      if (exclude?.has(i)) continue;
      const score = this.combine(i, lists, norms, weights, pos);
      // Items at the floor tie with every unlisted item; those are ordered by index below.
      if (score > floor) heap.push(i, score);
    }
    const explain = (index: number, score: number): Scored => {
      const c = this.mainContributor(index, lists, norms, weights, pos);
      if (c < 0) return { index, score, reason: { source: this.kind } };
      return { index, score, reason: this.options.explain ? reasonOf(c, index) : { source: this.parts[c].model.kind } };
    };
    const out: Scored[] = heap.toSorted().map((s) => explain(s.index, s.score));
    if (out.length < k) {
      // Fewer than k items beat the floor: the rest tie at it, lowest index first (as scoreAll + topK rank them).
      const taken = new Set(out.map((s) => s.index));
      const n = this.interactions.items;
      for (let i = 0; i < n && out.length < k; i++) {
        if (taken.has(i) || exclude?.has(i) || isBanned(i)) continue;
        if (this.combine(i, lists, norms, weights, pos) > floor) continue;
        out.push(explain(i, floor));
      }
    }
    this.clearPositions(lists, pos);
    return out;
  }

  private floorScore(norms: (Normaliser | null)[], weights: Float64Array): number {
    let s = 0;
    for (let c = 0; c < norms.length; c++) {
      const nm = norms[c];
      if (nm) s += weights[c] * nm.floor;
    }
    return s;
  }

  private fill(lists: readonly (CandidateList | null)[], weights: Float64Array, out: Float32Array): Float32Array {
    const norms = this.norms(lists, weights);
    const { pos, touched } = this.positions(lists, weights);
    out.fill(this.floorScore(norms, weights), 0, this.interactions.items);
    for (const i of touched) out[i] = this.combine(i, lists, norms, weights, pos);
    this.clearPositions(lists, pos);
    return out;
  }

  /**
   * The hybrid's state plus every component's, nested: component blobs are stored as
   * `<name>.<blob>`, and a blob that is the very same array as one stored earlier (the shared
   * interaction matrix) is kept once and listed in meta.blobAliases. Id lists equal to the
   * hybrid's own user/item ids are replaced by a marker in the component meta.
   */
  toArtifact(): ModelState {
    const data = this.interactions;
    const own = data.toState();
    const blobs: Record<string, Blob> = { ...own.blobs };
    const stored = new Map<Blob, string>(Object.entries(own.blobs).map(([name, b]) => [b, name]));
    const aliases: Record<string, string> = {};
    const componentMeta: Record<string, { params: Record<string, unknown>; meta: unknown }> = {};
    const list: { name: string; kind: string; weight: number; role: ComponentRole }[] = [];
    for (const p of this.parts) {
      const state = p.model.toArtifact();
      for (const [blobName, blob] of Object.entries(state.blobs)) {
        const name = `${p.name}.${blobName}`;
        const earlier = stored.get(blob);
        if (earlier !== undefined) aliases[name] = earlier;
        else {
          blobs[name] = blob;
          stored.set(blob, name);
        }
      }
      componentMeta[p.name] = { params: state.params, meta: shareIds(state.meta, data) };
      list.push({ name: p.name, kind: state.kind, weight: p.weight, role: p.role });
    }
    const { fitComponents: _fit, ...params } = this.options;
    return {
      kind: this.kind,
      params: { ...params, components: list },
      blobs,
      meta: { ...own.meta, components: componentMeta, [ALIASES_KEY]: aliases },
    };
  }

  /**
   * Restores the hybrid and its components; `decoders` maps a component kind to its
   * fromArtifact (every engine model by default; add entries for others).
   */
  static fromArtifact(
    state: ModelState,
    decoders: Readonly<Record<string, ComponentDecoder>> = DEFAULT_COMPONENT_DECODERS,
  ): HybridRanker {
    if (state.kind !== 'hybrid') throw new Error(`expected a "hybrid" artifact, got "${state.kind}"`);
    const { components: list, ...params } = state.params as Partial<HybridRankerOptions> & { components?: unknown };
    if (!Array.isArray(list)) throw new Error('hybrid: artifact params lack the components list');
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const metaOf = (state.meta['components'] ?? {}) as Record<
      string,
      { params?: Record<string, unknown>; meta?: unknown }
    >;
    const aliases = (state.meta[ALIASES_KEY] ?? {}) as Record<string, string>;
    const components: HybridComponent[] = list.map(
      (entry: { name: string; kind: string; weight: number; role: ComponentRole }) => {
        const decode = decoders[entry.kind];
        if (!decode)
          throw new Error(
            `hybrid: no decoder for component "${entry.name}" of kind "${entry.kind}" (known: ${Object.keys(decoders).join(', ')})`,
          );
        const prefix = `${entry.name}.`;
        const blobs: Record<string, Blob> = {};
        for (const [name, blob] of Object.entries(state.blobs))
          if (name.startsWith(prefix)) blobs[name.slice(prefix.length)] = blob;
        for (const [name, target] of Object.entries(aliases)) {
          if (!name.startsWith(prefix)) continue;
          const blob = state.blobs[target];
          if (!blob) throw new Error(`hybrid: blob alias "${name}" points at missing blob "${target}"`);
          blobs[name.slice(prefix.length)] = blob;
        }
        const stored = metaOf[entry.name];
        if (!stored) throw new Error(`hybrid: artifact meta lacks component "${entry.name}"`);
        const model = decode({
          kind: entry.kind,
          params: stored.params ?? {},
          blobs,
          meta: restoreIds(stored.meta ?? {}, data) as Record<string, unknown>,
        });
        return { name: entry.name, model, weight: entry.weight, role: entry.role };
      },
    );
    const ranker = new HybridRanker(components, { ...params, fitComponents: false });
    ranker.install(data);
    return ranker;
  }
}

function explainItem(model: Recommender, user: number, item: number): Reason {
  const explain = (model as unknown as Partial<ExplainsItems>).explain;
  return typeof explain === 'function' ? explain.call(model, user, item) : { source: model.kind };
}

function countPositive(values: ArrayLike<number>): number {
  let n = 0;
  for (let t = 0; t < values.length; t++) if (values[t] > 0) n++;
  return n;
}

function isSeenOrDisliked(data: InteractionMatrix, user: number, item: number): boolean {
  return contains(data.seen(user), item) || contains(data.disliked(user), item);
}

/** Binary search in an ascending index list. */
function contains(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function hasExplainInteractions(model: Recommender): model is Recommender & ExplainsInteractions {
  return typeof (model as Partial<ExplainsInteractions>).explainInteractions === 'function';
}

function sameIds(value: unknown, ids: readonly string[]): boolean {
  return value === ids || (Array.isArray(value) && value.length === ids.length && value.every((v, i) => v === ids[i]));
}

/** Replaces id lists equal to the hybrid's own with markers, a few levels deep. */
function shareIds(value: unknown, data: InteractionMatrix, depth = 0): unknown {
  if (sameIds(value, data.itemIds)) return SHARED_ITEM_IDS;
  if (sameIds(value, data.userIds)) return SHARED_USER_IDS;
  if (depth >= 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shareIds(v, data, depth + 1)]));
}

function restoreIds(value: unknown, data: InteractionMatrix, depth = 0): unknown {
  if (value === SHARED_ITEM_IDS) return data.itemIds;
  if (value === SHARED_USER_IDS) return data.userIds;
  if (depth >= 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreIds(v, data, depth + 1)]));
}

export interface HybridTuneOptions extends SearchOptions {
  /** Grid search: the weights to try per component name (components left out keep their weight). */
  grid?: Record<string, readonly number[]>;
  /** Random search instead: `trials` draws with `seed`, weights per component from `ranges` (default 0…1). */
  random?: { trials: number; seed?: number; ranges?: Record<string, NumericRange> };
  /** Normalisations to search over as well; default only the ranker's. */
  normalisations?: readonly ScoreNormalisation[];
  /** Options of every ranker tried (fitComponents is ignored: components are fitted once). */
  ranker?: Partial<HybridRankerOptions>;
}

/** One configuration of the search: a weight per searched component, plus the normalisation. */
export type HybridTrialParams = Record<string, number | ScoreNormalisation>;

export interface HybridTuneResult {
  /** The best configuration's ranker, over the components fitted on `train`. */
  ranker: HybridRanker;
  weights: Record<string, number>;
  normalisation: ScoreNormalisation;
  /** Every trial (params, validation metrics, time), in the order tried. */
  search: SearchResult<HybridTrialParams>;
  /** The one fit of each component on `train`. */
  componentFits: Record<string, FitReport>;
}

function tuneHybrid(
  components: readonly HybridComponent[],
  train: InteractionMatrix,
  validation: readonly Interaction[],
  options: HybridTuneOptions,
): HybridTuneResult {
  const { grid, random, normalisations, ranker: rankerOptions = {}, ...search } = options;
  if ((grid === undefined) === (random === undefined))
    throw new Error('hybrid tune: give exactly one of grid or random');
  const names = new Set(components.map((c) => c.name));
  const searched = Object.keys(grid ?? random?.ranges ?? Object.fromEntries(components.map((c) => [c.name, null])));
  for (const name of searched)
    if (!names.has(name)) throw new Error(`hybrid tune: unknown component "${name}" (have: ${[...names].join(', ')})`);
  if (normalisations?.length === 0) throw new Error('hybrid tune: normalisations must not be empty');

  const componentFits: Record<string, FitReport> = {};
  for (const c of components) componentFits[c.name] = c.model.fit(train);
  const cache = new Map<number, CandidateList[]>();
  const normalisationChoices = normalisations ?? [rankerOptions.normalisation ?? 'minmax'];
  let explain = false;
  const build = (params: HybridTrialParams): HybridRanker =>
    new HybridRanker(
      components.map((c) => ({
        ...c,
        weight: typeof params[c.name] === 'number' ? (params[c.name] as number) : c.weight,
      })),
      { ...rankerOptions, normalisation: params[NORMALISATION] as ScoreNormalisation, fitComponents: false, explain },
    ).shareCandidateCache(cache);

  let result: SearchResult<HybridTrialParams>;
  if (grid) {
    const space: Record<string, readonly unknown[]> = { ...grid, [NORMALISATION]: normalisationChoices };
    result = gridSearch(
      space,
      (p) => build(p as HybridTrialParams),
      train,
      validation,
      search,
    ) as SearchResult<HybridTrialParams>;
  } else {
    const r = random as NonNullable<HybridTuneOptions['random']>;
    const ranges = r.ranges ?? Object.fromEntries(components.map((c) => [c.name, { min: 0, max: 1 }]));
    const space = { ...ranges, [NORMALISATION]: normalisationChoices };
    result = randomSearch(
      space,
      r.trials,
      r.seed ?? 42,
      (p) => build(p as HybridTrialParams),
      train,
      validation,
      search,
    ) as SearchResult<HybridTrialParams>;
  }
  explain = rankerOptions.explain ?? true;
  const best = build(result.best.params);
  best.fit(train);
  return {
    ranker: best,
    weights: best.weights,
    normalisation: best.options.normalisation,
    search: result,
    componentFits,
  };
}
