import { detectDelimiter, quoteField, readDelimited, type Delimiter } from './delimited';
import { DatasetParseError, type Interaction } from './interaction';

export interface BinaryWeightOption {
  /** Give every row weight 1 instead of the source's rating or play count. Default false. */
  binary?: boolean;
}

export type MovieLensOptions = BinaryWeightOption;
export type LastfmOptions = BinaryWeightOption;

/** Maps our fields to header names in the file (matched trimmed, case-insensitively). */
export interface InteractionColumns {
  userId: string;
  itemId: string;
  weight: string;
  event: string;
  timestamp: string;
}

export const DEFAULT_INTERACTION_COLUMNS: InteractionColumns = {
  userId: 'user_id',
  itemId: 'item_id',
  weight: 'weight',
  event: 'event',
  timestamp: 'timestamp',
};

export interface InteractionsCsvOptions extends BinaryWeightOption {
  /** 'auto' (default) picks comma or tab from the header line. */
  delimiter?: Delimiter | 'auto';
  /** Header names to read; unspecified ones default to DEFAULT_INTERACTION_COLUMNS. */
  columns?: Partial<InteractionColumns>;
  /**
   * Unit of numeric timestamps. 'auto' (default) reads |t| < 1e11 as seconds and larger as
   * milliseconds: 1e11 s is the year 5138, 1e11 ms is March 1973, so real data is never ambiguous.
   */
  timestampUnit?: 'auto' | 's' | 'ms';
  /** Name used in error messages; default 'interactions'. */
  source?: string;
}

function* lines(text: string): Generator<{ line: number; text: string }> {
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

function parseNumber(raw: string, source: string, line: number, what: string): number {
  const s = raw.trim();
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new DatasetParseError(source, line, `${what} "${raw}" is not a number`);
  return v;
}

/**
 * MovieLens 100K `u.data`: `user \t item \t rating \t unix-seconds`, no header. Every rating is
 * kept as an interaction (the Microsoft Recommenders protocol treats every held-out rating as
 * relevant); the rating becomes the weight unless `binary`.
 */
export function parseMovieLens100k(text: string, options: MovieLensOptions = {}): Interaction[] {
  const source = 'u.data';
  const out: Interaction[] = [];
  for (const { line, text: row } of lines(text)) {
    const f = row.split('\t');
    if (f.length !== 4)
      throw new DatasetParseError(
        source,
        line,
        `expected 4 tab-separated fields (user, item, rating, timestamp), got ${f.length}`,
      );
    const [userId, itemId, rating, ts] = f;
    if (userId === '' || itemId === '') throw new DatasetParseError(source, line, 'empty user or item id');
    const weight = parseNumber(rating, source, line, 'rating');
    const seconds = parseNumber(ts, source, line, 'timestamp');
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new DatasetParseError(source, line, `timestamp "${ts}" is not a non-negative whole number of seconds`);
    }
    out.push({ userId, itemId, weight: options.binary ? 1 : weight, timestamp: seconds * 1000 });
  }
  return out;
}

/**
 * HetRec 2011 Last.fm `user_artists.dat`: header `userID \t artistID \t weight`, weight = play
 * count, which becomes the interaction weight unless `binary`. No timestamps in this file.
 */
export function parseLastfmUserArtists(text: string, options: LastfmOptions = {}): Interaction[] {
  const source = 'user_artists.dat';
  const out: Interaction[] = [];
  let sawHeader = false;
  for (const { line, text: row } of lines(text)) {
    const f = row.split('\t');
    if (!sawHeader) {
      if (f.length !== 3 || f[0].trim() !== 'userID' || f[1].trim() !== 'artistID' || f[2].trim() !== 'weight') {
        throw new DatasetParseError(source, line, `expected the header "userID\\tartistID\\tweight", got "${row}"`);
      }
      sawHeader = true;
      continue;
    }
    if (f.length !== 3)
      throw new DatasetParseError(
        source,
        line,
        `expected 3 tab-separated fields (userID, artistID, weight), got ${f.length}`,
      );
    const [userId, itemId, plays] = f;
    if (userId === '' || itemId === '') throw new DatasetParseError(source, line, 'empty user or artist id');
    const weight = parseNumber(plays, source, line, 'weight');
    if (weight < 0) throw new DatasetParseError(source, line, `weight ${weight} is negative; play counts are ≥ 0`);
    out.push({ userId, itemId, weight: options.binary ? 1 : weight });
  }
  if (!sawHeader)
    throw new DatasetParseError(source, 1, 'empty file: expected the header "userID\\tartistID\\tweight"');
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch milliseconds from epoch seconds/milliseconds or ISO-8601. An ISO date-time without a
 * zone is read as UTC, so the same file gives the same timestamps on every machine.
 */
export function parseTimestamp(raw: string, unit: 'auto' | 's' | 'ms' = 'auto'): number | null {
  const s = raw.trim();
  if (s === '') return null;
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) {
    const v = Number(s);
    const seconds = unit === 's' || (unit === 'auto' && Math.abs(v) < 1e11);
    return Math.round(seconds ? v * 1000 : v);
  }
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const hasTime = s.length > 10;
  let iso = s.replace(' ', 'T');
  if (!m[1] && hasTime) iso += 'Z';
  else if (m[1] && /^[+-]\d{4}$/.test(m[1])) iso = iso.slice(0, -2) + ':' + iso.slice(-2);
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
}

/**
 * A generic interactions file with a header row, comma- or tab-separated (quoted fields per
 * RFC 4180). `user_id` and `item_id` columns are required; `weight`, `event`, `timestamp` are read
 * when present. Column names can be remapped with `columns`.
 */
export function parseInteractionsCsv(text: string, options: InteractionsCsvOptions = {}): Interaction[] {
  const source = options.source ?? 'interactions';
  const delimiter = !options.delimiter || options.delimiter === 'auto' ? detectDelimiter(text) : options.delimiter;
  const names: InteractionColumns = { ...DEFAULT_INTERACTION_COLUMNS, ...options.columns };
  const records = readDelimited(text, delimiter, source);
  const first = records.next();
  if (first.done) throw new DatasetParseError(source, 1, 'empty file: expected a header line');
  const header = first.value.fields.map((h) => h.trim().toLowerCase());
  const find = (field: keyof InteractionColumns, required: boolean): number => {
    const at = header.indexOf(names[field].trim().toLowerCase());
    if (at < 0 && required) {
      throw new DatasetParseError(
        source,
        first.value.line,
        `missing column "${names[field]}" (header: ${first.value.fields.join(', ')})`,
      );
    }
    return at;
  };
  const explicit = options.columns ?? {};
  const userCol = find('userId', true);
  const itemCol = find('itemId', true);
  // A column the caller named explicitly must exist; the default optional names may be absent.
  const weightCol = find('weight', explicit.weight !== undefined);
  const eventCol = find('event', explicit.event !== undefined);
  const timeCol = find('timestamp', explicit.timestamp !== undefined);
  const width = header.length;
  const unit = options.timestampUnit ?? 'auto';
  const out: Interaction[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== width) {
      throw new DatasetParseError(source, line, `expected ${width} fields as in the header, got ${fields.length}`);
    }
    const userId = fields[userCol].trim();
    const itemId = fields[itemCol].trim();
    if (userId === '') throw new DatasetParseError(source, line, `empty ${names.userId}`);
    if (itemId === '') throw new DatasetParseError(source, line, `empty ${names.itemId}`);
    const row: Interaction = { userId, itemId };
    if (weightCol >= 0 && fields[weightCol].trim() !== '') {
      const w = parseNumber(fields[weightCol], source, line, names.weight);
      row.weight = options.binary ? 1 : w;
    } else if (options.binary) {
      row.weight = 1;
    }
    if (eventCol >= 0 && fields[eventCol].trim() !== '') row.event = fields[eventCol].trim();
    if (timeCol >= 0 && fields[timeCol].trim() !== '') {
      const t = parseTimestamp(fields[timeCol], unit);
      if (t === null) {
        throw new DatasetParseError(
          source,
          line,
          `${names.timestamp} "${fields[timeCol]}" is neither epoch seconds/milliseconds nor ISO-8601`,
        );
      }
      row.timestamp = t;
    }
    out.push(row);
  }
  return out;
}

export interface FormatInteractionsCsvOptions {
  delimiter?: Delimiter;
}

/**
 * Writes interactions in the generic format `parseInteractionsCsv` reads: header
 * `user_id,item_id[,weight][,event][,timestamp]` (optional columns only when some row has them),
 * timestamps as ISO-8601 UTC, one row per line, LF line endings.
 */
export function formatInteractionsCsv(
  interactions: readonly Interaction[],
  options: FormatInteractionsCsvOptions = {},
): string {
  const d = options.delimiter ?? ',';
  const hasWeight = interactions.some((r) => r.weight !== undefined);
  const hasEvent = interactions.some((r) => r.event !== undefined);
  const hasTime = interactions.some((r) => r.timestamp !== undefined);
  const header = ['user_id', 'item_id'];
  if (hasWeight) header.push('weight');
  if (hasEvent) header.push('event');
  if (hasTime) header.push('timestamp');
  const parts: string[] = [header.join(d) + '\n'];
  for (const r of interactions) {
    let row = quoteField(r.userId, d) + d + quoteField(r.itemId, d);
    if (hasWeight) row += d + (r.weight === undefined ? '' : String(r.weight));
    if (hasEvent) row += d + (r.event === undefined ? '' : quoteField(r.event, d));
    if (hasTime) row += d + (r.timestamp === undefined ? '' : new Date(r.timestamp).toISOString());
    parts.push(row + '\n');
  }
  return parts.join('');
}
