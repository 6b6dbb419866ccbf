import { DatasetParseError } from './interaction';

/**
 * One descriptive attribute of an item (a tag, a genre) with a strength, e.g. how many users
 * applied a tag to an artist. Content models turn these into item vectors.
 */
export interface ItemAttribute {
  itemId: string;
  attribute: string;
  /** Strength of the attribute for the item; absent = 1. */
  weight?: number;
}

/** One row of HetRec Last.fm `user_taggedartists.dat`: a user applied a tag to an artist. */
export interface LastfmTagAssignment {
  userId: string;
  artistId: string;
  tagId: string;
  /** Epoch milliseconds of the day (UTC midnight) the tag was applied. */
  timestamp: number;
}

/** The 19 genre flags of MovieLens 100K `u.item`, in file order (as in `u.genre`). */
export const MOVIELENS_GENRES: readonly string[] = Object.freeze([
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
]);

/** One film of MovieLens 100K `u.item`. */
export interface MovieLensItem {
  itemId: string;
  title: string;
  /** As in the file, e.g. "01-Jan-1995"; empty when unknown. */
  releaseDate: string;
  /** Names from MOVIELENS_GENRES whose flag is 1. */
  genres: string[];
}

function* nonEmptyLines(text: string): Generator<{ line: number; text: string }> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    if (stop > start) yield { line, text: text.slice(start, stop) };
    start = end + 1;
    line++;
  }
}

/** Rows of a tab-separated file after checking its header names (trimmed, case-sensitive as in HetRec). */
function* tsvRows(
  text: string,
  source: string,
  header: readonly string[],
): Generator<{ line: number; fields: string[] }> {
  let sawHeader = false;
  for (const { line, text: row } of nonEmptyLines(text)) {
    const f = row.split('\t');
    if (!sawHeader) {
      if (f.length !== header.length || f.some((name, i) => name.trim() !== header[i])) {
        throw new DatasetParseError(source, line, `expected the header "${header.join('\\t')}", got "${row}"`);
      }
      sawHeader = true;
      continue;
    }
    if (f.length !== header.length) {
      throw new DatasetParseError(
        source,
        line,
        `expected ${header.length} tab-separated fields (${header.join(', ')}), got ${f.length}`,
      );
    }
    yield { line, fields: f };
  }
  if (!sawHeader) throw new DatasetParseError(source, 1, `empty file: expected the header "${header.join('\\t')}"`);
}

/**
 * HetRec Last.fm `tags.dat` (`tagID \t tagValue`) as a map from tag id to tag text. The file is
 * Latin-1: decode it as such (e.g. `latin1`) before calling, or accented tags come out garbled.
 */
export function parseLastfmTags(text: string): Map<string, string> {
  const source = 'tags.dat';
  const out = new Map<string, string>();
  for (const { line, fields } of tsvRows(text, source, ['tagID', 'tagValue'])) {
    const id = fields[0].trim();
    const value = fields[1].trim();
    if (id === '' || value === '') throw new DatasetParseError(source, line, 'empty tag id or value');
    if (out.has(id)) throw new DatasetParseError(source, line, `tag id ${id} appears twice`);
    out.set(id, value);
  }
  return out;
}

/** HetRec Last.fm `user_taggedartists.dat`: `userID \t artistID \t tagID \t day \t month \t year`. */
export function parseLastfmTagAssignments(text: string): LastfmTagAssignment[] {
  const source = 'user_taggedartists.dat';
  const out: LastfmTagAssignment[] = [];
  for (const { line, fields } of tsvRows(text, source, ['userID', 'artistID', 'tagID', 'day', 'month', 'year'])) {
    const [userId, artistId, tagId] = fields.map((f) => f.trim());
    if (userId === '' || artistId === '' || tagId === '')
      throw new DatasetParseError(source, line, 'empty user, artist or tag id');
    const [day, month, year] = fields.slice(3).map(Number);
    if (
      !Number.isInteger(day) ||
      !Number.isInteger(month) ||
      !Number.isInteger(year) ||
      day < 1 ||
      day > 31 ||
      month < 1 ||
      month > 12
    ) {
      throw new DatasetParseError(source, line, `"${fields.slice(3).join('-')}" is not a valid day, month, year`);
    }
    out.push({ userId, artistId, tagId, timestamp: Date.UTC(year, month - 1, day) });
  }
  return out;
}

/**
 * Artist tags as item attributes: one row per (artist, tag text) whose weight is the number of
 * tag assignments (users who applied that tag to that artist). Assignments of a tag id missing
 * from `tags` are an error, since they mean the two files do not belong together.
 */
export function lastfmArtistTags(
  assignments: readonly LastfmTagAssignment[],
  tags: ReadonlyMap<string, string>,
): ItemAttribute[] {
  const counts = new Map<string, Map<string, number>>();
  for (const a of assignments) {
    const tag = tags.get(a.tagId);
    if (tag === undefined)
      throw new Error(`tag assignment of user ${a.userId} to artist ${a.artistId} uses unknown tag id ${a.tagId}`);
    let perArtist = counts.get(a.artistId);
    if (!perArtist) counts.set(a.artistId, (perArtist = new Map()));
    perArtist.set(tag, (perArtist.get(tag) ?? 0) + 1);
  }
  const out: ItemAttribute[] = [];
  for (const [itemId, perArtist] of counts)
    for (const [attribute, weight] of perArtist) out.push({ itemId, attribute, weight });
  return out;
}

/**
 * MovieLens 100K `u.item`: `id|title|release date|video release date|IMDb URL|` then 19 genre
 * flags (0/1), no header. The file is Latin-1: decode it as such before calling.
 */
export function parseMovieLensItems(text: string): MovieLensItem[] {
  const source = 'u.item';
  const width = 5 + MOVIELENS_GENRES.length;
  const out: MovieLensItem[] = [];
  for (const { line, text: row } of nonEmptyLines(text)) {
    const f = row.split('|');
    if (f.length !== width)
      throw new DatasetParseError(source, line, `expected ${width} |-separated fields, got ${f.length}`);
    const itemId = f[0].trim();
    if (itemId === '') throw new DatasetParseError(source, line, 'empty movie id');
    const genres: string[] = [];
    for (let g = 0; g < MOVIELENS_GENRES.length; g++) {
      const flag = f[5 + g].trim();
      if (flag !== '0' && flag !== '1')
        throw new DatasetParseError(source, line, `genre flag ${MOVIELENS_GENRES[g]} is "${flag}", expected 0 or 1`);
      if (flag === '1') genres.push(MOVIELENS_GENRES[g]);
    }
    out.push({ itemId, title: f[1], releaseDate: f[2].trim(), genres });
  }
  return out;
}

/** One attribute row (weight 1) per film and genre flag. */
export function movieLensGenreAttributes(items: readonly MovieLensItem[]): ItemAttribute[] {
  const out: ItemAttribute[] = [];
  for (const item of items)
    for (const attribute of item.genres) out.push({ itemId: item.itemId, attribute, weight: 1 });
  return out;
}
