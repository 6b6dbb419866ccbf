import type { Catalog } from '@encore/catalog';
import {
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  rankUnseen,
  type FitReport,
  type Reason,
  type Scored,
} from '@encore/features';
import type { ModelState } from '@encore/model-artifact';

/** Genres per item, aligned with the interaction matrix's items: item i's genres are ids[offsets[i] … offsets[i+1]). */
export interface ItemGenres {
  offsets: Int32Array;
  ids: Int32Array;
  names: readonly string[];
}

export interface PopularityRankerOptions {
  /** Popularity from how many users played an item ('count') or the sum of their values ('weight'). Default 'count'. */
  measure: 'count' | 'weight';
  /** Share of catalog popularity in the score, 0…1 (each side scaled to [0, 1] by its maximum). Default 0. */
  catalogBlend: number;
  /** Catalog popularity per item (e.g. Spotify's 0–100), aligned with the items; needed when catalogBlend > 0. */
  catalogPopularity?: Float32Array;
  /** Enables recommendInGenre. */
  itemGenres?: ItemGenres;
}

type JsonOptions = Pick<PopularityRankerOptions, 'measure' | 'catalogBlend'>;

/**
 * Most-popular ranking: the cold-start fallback (an unknown user gets the global top) and the
 * baseline every personalised model must beat. Popularity counts positive interactions only,
 * optionally blended with the catalog's own popularity so songs nobody has played yet are
 * not all tied at zero. With item genres it also ranks within a genre ("popular in indie").
 */
export class PopularityRanker extends ScoringRecommender {
  readonly kind = 'popularity';
  readonly options: PopularityRankerOptions;
  private popularity: Float32Array | null = null;
  private genres: ItemGenres | null = null;
  /** genre → items (the transpose of itemGenres), for per-genre ranking without a catalog scan. */
  private genreItems: { offsets: Int32Array; ids: Int32Array } | null = null;

  constructor(options: Partial<PopularityRankerOptions> = {}) {
    super();
    this.options = { measure: 'count', catalogBlend: 0, ...options };
    const blend = this.options.catalogBlend;
    if (!(blend >= 0 && blend <= 1)) throw new Error(`popularity: catalogBlend must be within 0…1, got ${blend}`);
  }

  /** The fitted popularity score of every item (what scoreAll copies). */
  get scores(): Float32Array {
    return assertFitted(this.kind, this.popularity);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const n = data.items;
    const { measure, catalogBlend, catalogPopularity, itemGenres } = this.options;
    if (catalogBlend > 0 && !catalogPopularity) throw new Error('popularity: catalogBlend > 0 needs catalogPopularity');
    if (catalogPopularity && catalogPopularity.length !== n)
      throw new Error(`popularity: catalogPopularity has ${catalogPopularity.length} entries for ${n} items`);
    if (itemGenres && itemGenres.offsets.length !== n + 1)
      throw new Error(`popularity: itemGenres covers ${itemGenres.offsets.length - 1} items, the data has ${n}`);
    const m = data.matrix;
    const counts = new Float64Array(n);
    for (let p = 0; p < m.nnz; p++) {
      const v = m.values[p];
      if (v > 0) counts[m.colIdx[p]] += measure === 'weight' ? v : 1;
    }
    const scores = new Float32Array(n);
    const maxCount = max(counts);
    const maxCatalog = catalogPopularity ? max(catalogPopularity) : 0;
    for (let i = 0; i < n; i++) {
      const own = maxCount > 0 ? counts[i] / maxCount : 0;
      const cat = catalogPopularity && maxCatalog > 0 ? (catalogPopularity[i] || 0) / maxCatalog : 0;
      scores[i] = (1 - catalogBlend) * own + catalogBlend * cat;
    }
    this.install(data, scores, itemGenres ?? null);
    return { kind: this.kind, users: data.users, items: n, nnz: data.nnz, elapsedMs: performance.now() - start };
  }

  private install(data: InteractionMatrix, scores: Float32Array, genres: ItemGenres | null): void {
    this.popularity = scores;
    this.genres = genres;
    this.genreItems = genres ? invert(genres) : null;
    this.setInteractions(data);
  }

  scoreAll(_user: number, out: Float32Array): Float32Array {
    const scores = this.scores;
    assertScoreBuffer(this.kind, out, scores.length);
    out.set(scores);
    return out;
  }

  /** Unlike the personalised models, an unknown user (any index outside the fitted users) gets the global top. */
  override recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[] {
    const data = this.interactions;
    if (Number.isInteger(user) && user >= 0 && user < data.users) return super.recommend(user, k, exclude);
    return this.rank(-1, k, exclude, (out) => this.scoreAll(-1, out));
  }

  /** The genre vocabulary of recommendInGenre. */
  get genreNames(): readonly string[] {
    return this.genres?.names ?? [];
  }

  /**
   * The most popular items of one genre, leaving out what `user` has seen or disliked
   * (pass −1 for an anonymous listener) and `exclude`. Touches only that genre's items.
   */
  recommendInGenre(genre: string, k: number, user = -1, exclude?: ReadonlySet<number>): Scored[] {
    const scores = this.scores;
    const genres = this.genres;
    const index = this.genreItems;
    if (!genres || !index) throw new Error('popularity: recommendInGenre needs itemGenres at fit time');
    const g = genres.names.indexOf(genre);
    if (g < 0) throw new Error(`popularity: unknown genre "${genre}"`);
    const members = index.ids.subarray(index.offsets[g], index.offsets[g + 1]);
    // Score only the genre's members into a small buffer, then map back to item indices.
    const local = new Float32Array(members.length);
    for (let p = 0; p < members.length; p++) local[p] = scores[members[p]];
    const data = this.interactions;
    const banned = new Set<number>(exclude);
    if (Number.isInteger(user) && user >= 0 && user < data.users) {
      for (const i of data.seen(user)) banned.add(i);
      for (const i of data.disliked(user)) banned.add(i);
    }
    for (let p = 0; p < members.length; p++) if (banned.has(members[p])) local[p] = -Infinity;
    return rankUnseen(local, k, null, -1).map((s) => ({
      index: members[s.index],
      score: s.score,
      reason: { source: this.kind, genre },
    }));
  }

  protected explain(): Reason {
    return { source: this.kind };
  }

  toArtifact(): ModelState {
    const { blobs, meta } = this.interactions.toState();
    const params: JsonOptions = { measure: this.options.measure, catalogBlend: this.options.catalogBlend };
    const out: ModelState = {
      kind: this.kind,
      params: { ...params },
      blobs: { ...blobs, popularity: this.scores },
      meta: { ...meta },
    };
    if (this.genres) {
      out.blobs['genres.offsets'] = this.genres.offsets;
      out.blobs['genres.ids'] = this.genres.ids;
      out.meta['genreNames'] = [...this.genres.names];
    }
    return out;
  }

  static fromArtifact(state: ModelState): PopularityRanker {
    if (state.kind !== 'popularity') throw new Error(`expected a "popularity" artifact, got "${state.kind}"`);
    const params = state.params as Partial<JsonOptions>;
    // The catalog column is already folded into the stored scores, so it is not needed again.
    const model = new PopularityRanker({ measure: params.measure, catalogBlend: params.catalogBlend });
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const scores = blobOf(state.blobs, 'popularity', Float32Array);
    if (scores.length !== data.items)
      throw new Error(`popularity: scores hold ${scores.length} values for ${data.items} items`);
    let genres: ItemGenres | null = null;
    if (state.blobs['genres.offsets']) {
      const names = state.meta['genreNames'];
      if (!Array.isArray(names)) throw new Error('popularity: artifact has genre blobs but no genreNames');
      genres = {
        offsets: blobOf(state.blobs, 'genres.offsets', Int32Array),
        ids: blobOf(state.blobs, 'genres.ids', Int32Array),
        names: names.map(String),
      };
    }
    model.install(data, scores, genres);
    return model;
  }
}

/** Genres of each interaction-matrix item, looked up by id in the catalog (items missing from it get none). */
export function itemGenresFromCatalog(catalog: Catalog, itemIds: readonly string[]): ItemGenres {
  const offsets = new Int32Array(itemIds.length + 1);
  const ids: number[] = [];
  for (let i = 0; i < itemIds.length; i++) {
    const c = catalog.indexOf(itemIds[i]);
    if (c >= 0)
      for (let p = catalog.genreOffsets[c]; p < catalog.genreOffsets[c + 1]; p++) ids.push(catalog.genreIds[p]);
    offsets[i + 1] = ids.length;
  }
  return { offsets, ids: Int32Array.from(ids), names: [...catalog.genreNames] };
}

/** Catalog popularity per interaction-matrix item (0 for items missing from the catalog). */
export function catalogPopularityFor(catalog: Catalog, itemIds: readonly string[]): Float32Array {
  const out = new Float32Array(itemIds.length);
  for (let i = 0; i < itemIds.length; i++) {
    const c = catalog.indexOf(itemIds[i]);
    out[i] = c >= 0 ? catalog.popularity[c] : 0;
  }
  return out;
}

function max(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

function invert(g: ItemGenres): { offsets: Int32Array; ids: Int32Array } {
  const nGenres = g.names.length;
  const offsets = new Int32Array(nGenres + 1);
  for (let p = 0; p < g.ids.length; p++) {
    const id = g.ids[p];
    if (id < 0 || id >= nGenres) throw new Error(`popularity: genre id ${id} is outside the ${nGenres} genre names`);
    offsets[id + 1]++;
  }
  for (let i = 0; i < nGenres; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, nGenres);
  const ids = new Int32Array(g.ids.length);
  for (let item = 0; item < g.offsets.length - 1; item++) {
    for (let p = g.offsets[item]; p < g.offsets[item + 1]; p++) ids[fill[g.ids[p]]++] = item;
  }
  return { offsets, ids };
}
