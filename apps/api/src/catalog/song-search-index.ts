import type { Catalog } from '@encore/catalog';
import type { SongSort } from '@encore/api-contract';

export interface SongSearchRequest {
  /** Free text matched against name, artists and album; every word must occur. */
  query?: string;
  /** Genre names, OR-ed; names not in the catalog match nothing. */
  genres?: readonly string[];
  sort: SongSort;
  offset: number;
  limit: number;
}

export interface SongSearchResult {
  /** Number of songs matching the query and genre filters, before paging. */
  total: number;
  /** Catalog indices of the requested page, in order. */
  indices: number[];
}

/** How well a song matches the query; lower is better. */
const enum Tier {
  NameExact = 0,
  NamePrefix = 1,
  NameContains = 2,
  Artist = 3,
  Other = 4,
}
const TIERS = 5;
const NO_MATCH = -1;

/** Trigram posting lists are hashed into this many buckets; a collision only adds candidates that verification drops. */
const TRIGRAM_BUCKETS = 1 << 19;

/**
 * Search over a Catalog with no per-request sorting and no scan of the whole text for
 * ordinary queries:
 * - every song's normalised "name␁artists␁album" text is kept, and a hashed trigram index
 *   lists the songs containing each trigram; a query word of three or more characters
 *   takes the shortest list among its trigrams as candidates, which are then verified
 *   with `includes` (so hash collisions cost time, never correctness);
 * - words of one or two characters fall back to an indexOf scan over all texts joined;
 * - the popularity and name orders are precomputed, so ranking a result is one pass over
 *   an order, whatever the sort.
 */
export class SongSearchIndex {
  private constructor(
    private readonly catalog: Catalog,
    /** All songs' searchable text; song i spans [starts[i], starts[i + 1]). */
    private readonly corpus: string,
    private readonly starts: Int32Array,
    /** Song i's slice of the corpus. */
    private readonly texts: string[],
    private readonly names: string[],
    private readonly artists: string[],
    /** Songs containing a trigram of hash bucket b: postings[bucketStarts[b] … bucketStarts[b + 1]), ascending. */
    private readonly bucketStarts: Int32Array,
    private readonly postings: Int32Array,
    /** Song indices by popularity (desc), then name: the relevance order without a query. */
    private readonly byPopularity: Int32Array,
    private readonly byName: Int32Array,
  ) {}

  static build(catalog: Catalog): SongSearchIndex {
    const n = catalog.size;
    const names: string[] = new Array(n);
    const artists: string[] = new Array(n);
    const parts: string[] = new Array(n);
    const starts = new Int32Array(n + 1);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      names[i] = normalizeText(catalog.names[i]);
      artists[i] = normalizeText(catalog.artistsOf(i).join(' / '));
      // Separators are control characters, which normalizeText strips from queries, so no match spans two fields or songs.
      parts[i] = `\n${names[i]}\u0001${artists[i]}\u0001${normalizeText(catalog.albums[i])}`;
      starts[i] = offset;
      offset += parts[i].length;
    }
    starts[n] = offset;
    const corpus = parts.join('');
    const texts = parts.map((_, i) => corpus.slice(starts[i], starts[i + 1]));
    const { bucketStarts, postings } = buildTrigramIndex(corpus, starts);

    const byName = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => compareStrings(names[a], names[b]) || a - b,
    );
    const nameRank = new Int32Array(n);
    for (let r = 0; r < n; r++) nameRank[byName[r]] = r;
    const popularity = catalog.popularity;
    const byPopularity = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => popularity[b] - popularity[a] || nameRank[a] - nameRank[b],
    );
    return new SongSearchIndex(
      catalog,
      corpus,
      starts,
      texts,
      names,
      artists,
      bucketStarts,
      postings,
      byPopularity,
      byName,
    );
  }

  get size(): number {
    return this.catalog.size;
  }

  search(request: SongSearchRequest): SongSearchResult {
    const { offset, limit } = request;
    const genreMask = this.genreMask(request.genres);
    const words = normalizeText(request.query ?? '')
      .split(' ')
      .filter((w) => w.length > 0);
    const order = request.sort === 'name' ? this.byName : this.byPopularity;
    const indices: number[] = [];

    if (words.length === 0) {
      let total = 0;
      for (let r = 0; r < order.length; r++) {
        const i = order[r];
        if (genreMask && !this.inGenres(i, genreMask)) continue;
        if (total >= offset && total < offset + limit) indices.push(i);
        total++;
      }
      return { total, indices };
    }

    const tiers = this.matchTiers(words, genreMask, request.sort === 'relevance');
    if (request.sort !== 'relevance') {
      let total = 0;
      for (let r = 0; r < order.length; r++) {
        const i = order[r];
        if (tiers[i] === NO_MATCH) continue;
        if (total >= offset && total < offset + limit) indices.push(i);
        total++;
      }
      return { total, indices };
    }

    // Relevance = tier, then popularity: the rank of a song is the size of the better tiers
    // plus its position within its own tier along the popularity order.
    const tierSize = new Int32Array(TIERS);
    for (let i = 0; i < tiers.length; i++) if (tiers[i] !== NO_MATCH) tierSize[tiers[i]]++;
    const tierStart = new Int32Array(TIERS);
    for (let t = 1; t < TIERS; t++) tierStart[t] = tierStart[t - 1] + tierSize[t - 1];
    const total = tierStart[TIERS - 1] + tierSize[TIERS - 1];
    const end = Math.min(total, offset + limit);
    if (offset >= end) return { total, indices };
    const page = new Array<number>(end - offset);
    const seen = new Int32Array(TIERS);
    for (let r = 0; r < order.length; r++) {
      const i = order[r];
      const t = tiers[i];
      if (t === NO_MATCH) continue;
      const rank = tierStart[t] + seen[t]++;
      if (rank >= offset && rank < end) page[rank - offset] = i;
    }
    return { total, indices: page };
  }

  /**
   * Tier of every song for the query words (NO_MATCH where a word is missing or the genre filter
   * fails); without `ranked` every match gets the same tier, for sorts that ignore it.
   */
  private matchTiers(words: string[], genreMask: Uint8Array | null, ranked: boolean): Int8Array {
    const tiers = new Int8Array(this.size).fill(NO_MATCH);
    const phrase = words.join(' ');
    const accept = (song: number): void => {
      if ((!genreMask || this.inGenres(song, genreMask)) && this.containsAll(song, words)) {
        tiers[song] = ranked ? this.tierOf(song, phrase, words) : Tier.Other;
      }
    };
    const bucket = this.rarestTrigramBucket(words);
    if (bucket >= 0) {
      for (let p = this.bucketStarts[bucket]; p < this.bucketStarts[bucket + 1]; p++) accept(this.postings[p]);
      return tiers;
    }
    // Only one- and two-character words: scan for the longest, visiting just the songs that contain it.
    const anchor = words.reduce((a, b) => (b.length > a.length ? b : a));
    const { corpus, starts } = this;
    let song = 0;
    for (let at = corpus.indexOf(anchor); at !== -1; at = corpus.indexOf(anchor, starts[song + 1])) {
      song = this.songAt(at, song);
      accept(song);
    }
    return tiers;
  }

  /** The bucket with the fewest songs among the trigrams of all words, or -1 when no word has three characters. */
  private rarestTrigramBucket(words: string[]): number {
    let best = -1;
    let bestSize = Infinity;
    for (const word of words) {
      for (let p = 0; p + 3 <= word.length; p++) {
        const b = trigramBucket(word.charCodeAt(p), word.charCodeAt(p + 1), word.charCodeAt(p + 2));
        const size = this.bucketStarts[b + 1] - this.bucketStarts[b];
        if (size < bestSize) {
          best = b;
          bestSize = size;
        }
      }
    }
    return best;
  }

  private tierOf(song: number, phrase: string, words: string[]): Tier {
    const name = this.names[song];
    if (name === phrase) return Tier.NameExact;
    if (name.startsWith(phrase)) return Tier.NamePrefix;
    if (name.includes(phrase) || words.every((w) => name.includes(w))) return Tier.NameContains;
    if (this.artists[song].includes(phrase)) return Tier.Artist;
    return Tier.Other;
  }

  private containsAll(song: number, words: string[]): boolean {
    const text = this.texts[song];
    for (const w of words) if (!text.includes(w)) return false;
    return true;
  }

  /** The song whose text contains corpus position `at` (binary search, starting no earlier than `from`). */
  private songAt(at: number, from: number): number {
    let lo = from;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private genreMask(genres: readonly string[] | undefined): Uint8Array | null {
    if (!genres || genres.length === 0) return null;
    const mask = new Uint8Array(this.catalog.genreNames.length);
    for (const g of genres) {
      const id = this.catalog.genreIndex(g);
      if (id >= 0) mask[id] = 1;
    }
    return mask;
  }

  private inGenres(song: number, mask: Uint8Array): boolean {
    const { genreOffsets, genreIds } = this.catalog;
    for (let p = genreOffsets[song]; p < genreOffsets[song + 1]; p++) if (mask[genreIds[p]] === 1) return true;
    return false;
  }
}

/**
 * Posting lists of hashed trigrams (CSR layout), each song listed once per bucket. Trigrams that
 * touch a separator are skipped: query words never contain control characters.
 */
function buildTrigramIndex(corpus: string, starts: Int32Array): { bucketStarts: Int32Array; postings: Int32Array } {
  const n = starts.length - 1;
  const bucketStarts = new Int32Array(TRIGRAM_BUCKETS + 1);
  const lastSong = new Int32Array(TRIGRAM_BUCKETS).fill(-1);
  const visit = (emit: (bucket: number, song: number) => void): void => {
    lastSong.fill(-1);
    for (let song = 0; song < n; song++) {
      let c0 = 0;
      let c1 = 0;
      for (let p = starts[song]; p < starts[song + 1]; p++) {
        const c2 = corpus.charCodeAt(p);
        if (c0 >= 0x20 && c1 >= 0x20 && c2 >= 0x20) {
          const b = trigramBucket(c0, c1, c2);
          if (lastSong[b] !== song) {
            lastSong[b] = song;
            emit(b, song);
          }
        }
        c0 = c1;
        c1 = c2;
      }
    }
  };
  visit((b) => bucketStarts[b + 1]++);
  for (let b = 0; b < TRIGRAM_BUCKETS; b++) bucketStarts[b + 1] += bucketStarts[b];
  const postings = new Int32Array(bucketStarts[TRIGRAM_BUCKETS]);
  const fill = bucketStarts.slice(0, TRIGRAM_BUCKETS);
  visit((b, song) => (postings[fill[b]++] = song));
  return { bucketStarts, postings };
}

function trigramBucket(c0: number, c1: number, c2: number): number {
  let h = Math.imul(c0, 0x9e3779b1) + c1;
  h = Math.imul(h, 0x9e3779b1) + c2;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) & (TRIGRAM_BUCKETS - 1);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Lower case, accents removed ("Beyoncé" → "beyonce"), control characters dropped, whitespace collapsed. */
export function normalizeText(text: string): string {
  // Most catalog strings are plain ASCII, which needs neither Unicode decomposition nor control-character handling.
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(/ {2,}/g, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
