import { AUDIO_FEATURES, type AudioFeature, Catalog } from './catalog';
import { CatalogFormatError } from './catalog-format-error';
import { CSV_BAD_QUOTE, CSV_END, CSV_ESCAPED, CSV_NEED_MORE, CSV_UNTERMINATED, CsvReader } from './csv';
import { parseDecimal } from './decimal';

/** Which CSV header names hold each song attribute. */
export interface ColumnMapping {
  id: string;
  artists: string;
  album: string;
  name: string;
  popularity: string;
  durationMs: string;
  explicit: string;
  danceability: string;
  energy: string;
  key: string;
  loudness: string;
  mode: string;
  speechiness: string;
  acousticness: string;
  instrumentalness: string;
  liveness: string;
  valence: string;
  tempo: string;
  timeSignature: string;
  genre: string;
}

/** The header names of the Kaggle "Spotify Tracks Dataset" (maharshipandya). */
export const SPOTIFY_COLUMNS: ColumnMapping = {
  id: 'track_id',
  artists: 'artists',
  album: 'album_name',
  name: 'track_name',
  popularity: 'popularity',
  durationMs: 'duration_ms',
  explicit: 'explicit',
  danceability: 'danceability',
  energy: 'energy',
  key: 'key',
  loudness: 'loudness',
  mode: 'mode',
  speechiness: 'speechiness',
  acousticness: 'acousticness',
  instrumentalness: 'instrumentalness',
  liveness: 'liveness',
  valence: 'valence',
  tempo: 'tempo',
  timeSignature: 'time_signature',
  genre: 'track_genre',
};

type Field = keyof ColumnMapping;
const FIELDS = Object.keys(SPOTIFY_COLUMNS) as Field[];
// Hot loops use module-level aliases: a global lookup per call is slow inside vm contexts (Jest).
const imul = Math.imul;

/**
 * Columns that may be missing from a CSV, and the value each song then gets. Everything else is
 * required: without an id, a name, artists, a genre and the audio features a song cannot be
 * recommended or explained. A column named explicitly in `IngestOptions.columns` is always required,
 * so a typo in a mapping fails loudly instead of silently producing defaults.
 */
export const OPTIONAL_COLUMN_DEFAULTS: Readonly<Partial<Record<Field, string | number | boolean>>> = {
  album: '',
  popularity: 0,
  durationMs: 0,
  explicit: false,
  timeSignature: 4,
};

export interface IngestOptions {
  /** Header names that differ from {@link SPOTIFY_COLUMNS}. */
  columns?: Partial<ColumnMapping>;
  /** Separates several artists in one field (default `;`). */
  artistSeparator?: string;
  /** Separates several genres in one field (default `;`; `''` keeps the field whole). */
  genreSeparator?: string;
  /** How many rejected rows are listed individually in the report (default 1000); all are counted. */
  maxRejectionsListed?: number;
}

export interface RejectedRow {
  /** Physical line (1-based, the header is line 1) where the record starts. */
  line: number;
  /** Human-readable, names the column, e.g. `energy: 1.7 is outside [0, 1]`. */
  reason: string;
  /** The CSV column at fault, when there is one. */
  field?: string;
}

export interface IngestReport {
  /** Data records read (the header and blank lines are not records). */
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Rejections by short key: `field-count`, `unterminated-quote`, `bad-quote`, `missing-id`, `not-a-number:<column>`, `not-a-boolean:<column>`, `out-of-range:<column>`. */
  rejectedByReason: Record<string, number>;
  /** The first `maxRejectionsListed` rejections in file order. */
  rejections: RejectedRow[];
  /** Accepted rows folded into an earlier row with the same id (songs = accepted − duplicatesMerged). */
  duplicatesMerged: number;
  songs: number;
  elapsedMs: number;
  /** Input rows per second over `elapsedMs` (each CSV row is one song listing). */
  songsPerSecond: number;
}

/** Where each attribute lives in a particular CSV; plain data, so it can be posted to a worker. */
export interface ColumnLayout {
  header: string[];
  /** The effective mapping (defaults merged with `IngestOptions.columns`). */
  names: ColumnMapping;
  /** Column index of each attribute, -1 for an absent optional column. */
  index: Record<Field, number>;
}

/** A slice of a CSV text that starts at a record boundary. */
export interface CsvChunk {
  text: string;
  /** Physical line number of the chunk's first character in the whole file. */
  firstLine: number;
  /** The chunk starts with the header record (only the first chunk). */
  headerIncluded: boolean;
}

/**
 * The numeric attributes of one accepted row, in the order they are validated and stored
 * (`explicit` is kept as 0/1 here and becomes a Uint8Array in the catalog).
 */
export const INGEST_NUMERIC_FIELDS = [
  'popularity',
  'durationMs',
  'explicit',
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
  'timeSignature',
] as const satisfies readonly Field[];
const NUMERIC_COUNT = INGEST_NUMERIC_FIELDS.length;
const SPAN_COUNT = 6;

/**
 * A list of strings as one string plus end offsets (string i is `text.slice(ends[i - 1] ?? 0, ends[i])`):
 * one long string crosses a thread boundary as a single copy, where 100K small ones are cloned one by one.
 */
export interface PackedStrings {
  text: string;
  ends: Int32Array;
}

export function packStrings(list: readonly string[]): PackedStrings {
  const ends = new Int32Array(list.length);
  let end = 0;
  for (let i = 0; i < list.length; i++) ends[i] = end += list[i].length;
  return { text: list.join(''), ends };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const out: string[] = [];
  for (let i = 0; i < packed.ends.length; i++)
    out.push(packed.text.slice(i === 0 ? 0 : packed.ends[i - 1], packed.ends[i]));
  return out;
}

/**
 * The validated rows of one chunk, made only of strings, plain objects and typed arrays so it
 * crosses a worker boundary by structured clone (pass {@link ingestPartTransferables} to move the
 * typed arrays instead of copying them). Artists and genres refer to the chunk's own vocabularies.
 */
export interface IngestPart {
  rowsRead: number;
  accepted: number;
  /**
   * The chunk text followed by the unescaped copies of quoted fields that held doubled quotes: the
   * id, name and album of every row are spans of it, so parsing allocates no per-row strings and
   * the merge slices out only the rows it keeps.
   */
  text: string;
  /** accepted × 6: [idStart, idEnd, nameStart, nameEnd, albumStart, albumEnd) in `text`. */
  spans: Int32Array;
  /** {@link idHash} of each id, computed where the rows are parsed so the merging thread need not hash strings. */
  idHashes: Int32Array;
  /** accepted × INGEST_NUMERIC_FIELDS.length values, row-major. */
  numbers: Float32Array;
  artistVocab: PackedStrings;
  artistOffsets: Int32Array;
  artistIds: Int32Array;
  genreVocab: PackedStrings;
  genreOffsets: Int32Array;
  genreIds: Int32Array;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** At most `maxRejectionsListed`, so merging keeps the first ones of the whole file. */
  rejections: RejectedRow[];
}

const DEFAULT_MAX_REJECTIONS = 1000;

/*
 * Row validation, checked in column-mapping order; the first failure rejects the row:
 *   danceability, energy, speechiness, acousticness, instrumentalness, liveness, valence in [0, 1];
 *   key an integer in [-1, 11] (-1 = no key detected); mode 0 or 1; loudness <= 5 dB;
 *   popularity in [0, 100]; time_signature an integer in [0, 7]; explicit True/False/true/false/1/0;
 *   tempo > 0 and duration_ms > 0.
 * The Kaggle file has 157 rows with tempo 0, and those also have danceability 0, valence 0 and
 * time_signature 0: Spotify had no audio analysis for them, so their features are placeholders that
 * would pull similarity search toward silence. They are rejected (counted as out-of-range:tempo),
 * as is the one row with duration 0 and empty names. Keys use the CSV column name, so a mapped
 * file reports its own headers.
 */
// Validation kinds for INGEST_NUMERIC_FIELDS, same order.
const UNIT = 0;
const POSITIVE = 1;
const KEY = 2;
const MODE = 3;
const LOUDNESS = 4;
const POPULARITY = 5;
const TIME_SIGNATURE = 6;
const BOOLEAN = 7;
const KIND: Record<(typeof INGEST_NUMERIC_FIELDS)[number], number> = {
  popularity: POPULARITY,
  durationMs: POSITIVE,
  explicit: BOOLEAN,
  danceability: UNIT,
  energy: UNIT,
  key: KEY,
  loudness: LOUDNESS,
  mode: MODE,
  speechiness: UNIT,
  acousticness: UNIT,
  instrumentalness: UNIT,
  liveness: UNIT,
  valence: UNIT,
  tempo: POSITIVE,
  timeSignature: TIME_SIGNATURE,
};

/**
 * Checks the header against the mapping; throws a {@link CatalogFormatError} naming every missing column and the
 * header found, or a mapped column that appears twice (which of the two holds the values would be a guess).
 */
export function resolveColumnLayout(header: readonly string[], columns: Partial<ColumnMapping> = {}): ColumnLayout {
  for (const key of Object.keys(columns)) {
    if (!FIELDS.includes(key as Field))
      throw new Error(`Unknown column mapping key "${key}"; expected one of: ${FIELDS.join(', ')}`);
    if (typeof columns[key as Field] !== 'string')
      throw new Error(`Column mapping "${key}" must be a header name (string)`);
  }
  const names = { ...SPOTIFY_COLUMNS, ...columns } as ColumnMapping;
  const trimmed = header.map((h) => h.trim());
  const index = {} as Record<Field, number>;
  const missing: string[] = [];
  for (const f of FIELDS) {
    index[f] = trimmed.indexOf(names[f]);
    const optional = f in OPTIONAL_COLUMN_DEFAULTS && columns[f] === undefined;
    if (index[f] === -1 && !optional) missing.push(names[f] === f ? `"${f}"` : `"${names[f]}" (${f})`);
  }
  if (missing.length > 0) {
    throw new CatalogFormatError(
      'missing-columns',
      `CSV is missing required column(s) ${missing.join(', ')}; header found: ${trimmed.map((h) => `"${h}"`).join(',')}`,
    );
  }
  const repeated = FIELDS.filter((f) => index[f] >= 0 && trimmed.indexOf(names[f], index[f] + 1) >= 0).map(
    (f) => `"${names[f]}" (columns ${trimmed.flatMap((h, i) => (h === names[f] ? [i + 1] : [])).join(', ')})`,
  );
  if (repeated.length > 0) {
    throw new CatalogFormatError('duplicate-columns', `CSV header repeats column(s) ${repeated.join(', ')}`);
  }
  return { header: trimmed, names, index };
}

/** Reads the header record; `next`/`nextLine` locate the first data record. */
export function readCsvHeader(text: string): { columns: string[]; next: number; nextLine: number } {
  const reader = new CsvReader(text);
  // Blank lines before the header are tolerated, as they are between records.
  for (let status = reader.read(); status !== CSV_END; status = reader.read()) {
    if (status === CSV_UNTERMINATED) throw unterminatedHeader(reader.line);
    if (!reader.isBlankLine())
      return { columns: reader.values(), next: reader.pos, nextLine: reader.line + 1 + reader.newlines };
  }
  throw emptyCsv();
}

function unterminatedHeader(line: number): CatalogFormatError {
  return new CatalogFormatError('unterminated-header', `CSV header on line ${line} has an unterminated quoted field`);
}

function emptyCsv(): CatalogFormatError {
  return new CatalogFormatError('empty', 'CSV is empty: no header line');
}

/** Accumulates validated rows of consecutive records into an {@link IngestPart}. */
class IngestPartBuilder {
  private rowsRead = 0;
  private accepted = 0;
  private spans = new Int32Array(4096 * SPAN_COUNT);
  private idHashes = new Int32Array(4096);
  // Texts already read (one per chunk, or one per buffer when streaming) and the offset of the current one.
  private readonly segments: string[] = [];
  private base = 0;
  // Unescaped values of fields with doubled quotes, placed after all segments at finish().
  private readonly tail: string[] = [];
  private tailLength = 0;
  private readonly tailSpans: number[] = []; // indexes into `spans` whose offsets are tail-relative
  private numbers = new Float32Array(4096 * NUMERIC_COUNT);
  private readonly artists: MultiValueColumn;
  private readonly genres: MultiValueColumn;
  private rejected = 0;
  private readonly rejectedByReason: Record<string, number> = {};
  private readonly rejections: RejectedRow[] = [];
  private readonly maxListed: number;
  private readonly fieldCount: number;
  private readonly idCol: number;
  private readonly nameCol: number;
  private readonly albumCol: number;
  private readonly numericCols: Int32Array;
  private readonly numericKinds: Int32Array;
  private readonly numericDefaults: Float64Array;
  private readonly header: string[];

  constructor(layout: ColumnLayout, options: IngestOptions) {
    this.maxListed = options.maxRejectionsListed ?? DEFAULT_MAX_REJECTIONS;
    this.header = layout.header;
    this.fieldCount = layout.header.length;
    this.idCol = layout.index.id;
    this.nameCol = layout.index.name;
    this.albumCol = layout.index.album;
    this.artists = new MultiValueColumn(layout.index.artists, options.artistSeparator ?? ';');
    this.genres = new MultiValueColumn(layout.index.genre, options.genreSeparator ?? ';');
    this.numericCols = Int32Array.from(INGEST_NUMERIC_FIELDS, (f) => layout.index[f]);
    this.numericKinds = Int32Array.from(INGEST_NUMERIC_FIELDS, (f) => KIND[f]);
    this.numericDefaults = Float64Array.from(INGEST_NUMERIC_FIELDS, (f) => Number(OPTIONAL_COLUMN_DEFAULTS[f] ?? 0));
  }

  private reject(line: number, key: string, reason: string, field?: string): void {
    this.rejected++;
    this.rejectedByReason[key] = (this.rejectedByReason[key] ?? 0) + 1;
    if (this.rejections.length < this.maxListed)
      this.rejections.push(field === undefined ? { line, reason } : { line, reason, field });
  }

  /** Takes the record the reader just read (`status` from `read()`). */
  add(reader: CsvReader, status: number): void {
    const line = reader.line;
    if (status === CSV_UNTERMINATED) {
      this.rowsRead++;
      return this.reject(
        line,
        'unterminated-quote',
        'a quoted field opened on this line is never closed; the line was skipped',
      );
    }
    if (reader.isBlankLine()) return;
    this.rowsRead++;
    if (reader.badQuote) {
      let i = 0;
      while ((reader.flags[i] & CSV_BAD_QUOTE) === 0) i++;
      const field = this.header[i];
      return field === undefined
        ? this.reject(line, 'bad-quote', `field ${i + 1}: text after the closing quote`)
        : this.reject(line, 'bad-quote', `${field}: text after the closing quote`, field);
    }
    if (reader.count !== this.fieldCount) {
      return this.reject(line, 'field-count', `expected ${this.fieldCount} fields, found ${reader.count}`);
    }
    const text = reader.text;
    const starts = reader.starts;
    const ends = reader.ends;
    const idCol = this.idCol;
    if (starts[idCol] === ends[idCol]) {
      const field = this.header[idCol];
      return this.reject(line, 'missing-id', `${field} is empty`, field);
    }
    const r = this.accepted;
    if ((r + 1) * NUMERIC_COUNT > this.numbers.length) this.grow();
    // Values go straight into the next free row; a rejected row is simply overwritten by the next one.
    const numbers = this.numbers;
    const base = r * NUMERIC_COUNT;
    const cols = this.numericCols;
    const kinds = this.numericKinds;
    for (let f = 0; f < NUMERIC_COUNT; f++) {
      const col = cols[f];
      if (col < 0) {
        numbers[base + f] = this.numericDefaults[f];
        continue;
      }
      const s = starts[col];
      const e = ends[col];
      const kind = kinds[f];
      if (kind === BOOLEAN) {
        const b = parseBoolean(text, s, e);
        if (b < 0) return this.rejectValue(reader, line, 'not-a-boolean', col, 'is not True/False/1/0');
        numbers[base + f] = b;
        continue;
      }
      const v = parseDecimal(text, s, e);
      if (v - v !== 0) return this.rejectValue(reader, line, 'not-a-number', col, 'is not a number');
      let problem: string | null = null;
      switch (kind) {
        case UNIT:
          if (v < 0 || v > 1) problem = 'is outside [0, 1]';
          break;
        case POSITIVE:
          if (!(v > 0)) problem = 'must be > 0';
          break;
        case KEY:
          if (v < -1 || v > 11 || (v | 0) !== v) problem = 'is not an integer in [-1, 11]';
          break;
        case MODE:
          if (v !== 0 && v !== 1) problem = 'is not 0 or 1';
          break;
        case LOUDNESS:
          if (v > 5) problem = 'is above 5 dB';
          break;
        case POPULARITY:
          if (v < 0 || v > 100) problem = 'is outside [0, 100]';
          break;
        case TIME_SIGNATURE:
          if (v < 0 || v > 7 || (v | 0) !== v) problem = 'is not an integer in [0, 7]';
          break;
      }
      if (problem !== null) return this.rejectValue(reader, line, 'out-of-range', col, problem);
      numbers[base + f] = v;
    }
    this.accepted++;
    const at = r * SPAN_COUNT;
    this.idHashes[r] = this.addSpan(reader, idCol, at);
    this.addSpan(reader, this.nameCol, at + 2);
    this.addSpan(reader, this.albumCol, at + 4);
    this.artists.add(reader);
    this.genres.add(reader);
  }

  /** Records where field `col` lives (in the current text or the tail) and returns the hash of its value. */
  private addSpan(reader: CsvReader, col: number, at: number): number {
    if (col < 0) {
      this.spans[at] = this.spans[at + 1] = 0;
      return spanHash('', 0, 0);
    }
    if ((reader.flags[col] & CSV_ESCAPED) === 0) {
      const s = reader.starts[col];
      const e = reader.ends[col];
      this.spans[at] = this.base + s;
      this.spans[at + 1] = this.base + e;
      return spanHash(reader.text, s, e);
    }
    const value = reader.value(col);
    this.tailSpans.push(at);
    this.spans[at] = this.tailLength;
    this.spans[at + 1] = this.tailLength + value.length;
    this.tail.push(value);
    this.tailLength += value.length;
    return spanHash(value, 0, value.length);
  }

  private grow(): void {
    const numbers = new Float32Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const spans = new Int32Array(this.spans.length * 2);
    spans.set(this.spans);
    this.spans = spans;
    const hashes = new Int32Array(this.idHashes.length * 2);
    hashes.set(this.idHashes);
    this.idHashes = hashes;
  }

  /** Declares that records up to `end` of `text` have been added (rows keep spans into it). */
  endText(text: string, end: number): void {
    this.segments.push(end === text.length ? text : text.slice(0, end));
    this.base += end;
  }

  private rejectValue(reader: CsvReader, line: number, key: string, col: number, problem: string): void {
    const field = this.header[col];
    const raw = reader.value(col);
    const shown =
      raw === ''
        ? 'empty value'
        : raw.length > 40
          ? JSON.stringify(raw.slice(0, 40) + '…')
          : /^[\w.+-]+$/.test(raw)
            ? raw
            : JSON.stringify(raw);
    this.reject(line, `${key}:${field}`, `${field}: ${shown} ${problem}`, field);
  }

  private finishSpans(): Int32Array {
    const spans = this.spans.slice(0, this.accepted * SPAN_COUNT);
    for (const at of this.tailSpans) {
      spans[at] += this.base;
      spans[at + 1] += this.base;
    }
    return spans;
  }

  finish(): IngestPart {
    return {
      rowsRead: this.rowsRead,
      accepted: this.accepted,
      text:
        this.segments.length === 1 && this.tail.length === 0
          ? this.segments[0]
          : this.segments.join('') + this.tail.join(''),
      spans: this.finishSpans(),
      idHashes: this.idHashes.slice(0, this.accepted),
      numbers: this.numbers.slice(0, this.accepted * NUMERIC_COUNT),
      artistVocab: packStrings(this.artists.vocab),
      artistOffsets: Int32Array.from(this.artists.offsets),
      artistIds: Int32Array.from(this.artists.ids),
      genreVocab: packStrings(this.genres.vocab),
      genreOffsets: Int32Array.from(this.genres.offsets),
      genreIds: Int32Array.from(this.genres.ids),
      rejected: this.rejected,
      rejectedByReason: this.rejectedByReason,
      rejections: this.rejections,
    };
  }
}

/**
 * Strings to dense ids by open addressing over a hash of the characters, so a value seen before is
 * found straight from a span of the CSV text, without allocating its substring (most artist and
 * genre values repeat), and without the per-string hashing a Map does.
 */
class StringInterner {
  readonly names: string[] = [];
  private slots = new Int32Array(1024); // id + 1; 0 = empty
  private hashes = new Int32Array(1024);
  // Neighbouring rows often repeat a value (the Kaggle file is grouped by genre).
  private lastId = -1;

  intern(source: string, s = 0, e = source.length): number {
    if (this.lastId >= 0 && sameChars(this.names[this.lastId], source, s, e)) return this.lastId;
    const h = spanHash(source, s, e);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const slot = this.slots[i];
      if (slot === 0) break;
      if (this.hashes[i] === h && sameChars(this.names[slot - 1], source, s, e)) return (this.lastId = slot - 1);
      i = (i + 1) & mask;
    }
    const id = this.names.length;
    this.names.push(s === 0 && e === source.length ? source : source.slice(s, e));
    this.slots[i] = id + 1;
    this.hashes[i] = h;
    if (this.names.length * 2 > this.slots.length) this.rehash();
    return (this.lastId = id);
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    for (let j = 0; j < this.slots.length; j++) {
      if (this.slots[j] === 0) continue;
      let i = this.hashes[j] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = this.slots[j];
      hashes[i] = this.hashes[j];
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

/** A separator-delimited field (artists, genres) interned into a vocabulary, one offset per row. */
class MultiValueColumn {
  private readonly interner = new StringInterner();
  readonly vocab = this.interner.names;
  readonly offsets: number[] = [0];
  readonly ids: number[] = [];

  constructor(
    private readonly col: number,
    private readonly sep: string,
  ) {}

  add(reader: CsvReader): void {
    let source = reader.text;
    let s = reader.starts[this.col];
    let e = reader.ends[this.col];
    if (reader.flags[this.col] !== 0) {
      source = reader.value(this.col);
      s = 0;
      e = source.length;
    }
    const sep = this.sep;
    const sep0 = sep.length === 0 ? -1 : sep.charCodeAt(0);
    while (s < e) {
      let cut = s;
      if (sep.length === 1) while (cut < e && source.charCodeAt(cut) !== sep0) cut++;
      else if (sep.length === 0) cut = e;
      else {
        cut = source.indexOf(sep, s);
        if (cut === -1 || cut + sep.length > e) cut = e;
      }
      if (cut > s) this.ids.push(this.interner.intern(source, s, cut));
      s = cut + (sep.length || 1);
    }
    this.offsets.push(this.ids.length);
  }
}

function sameChars(name: string, source: string, s: number, e: number): boolean {
  if (name.length !== e - s) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== source.charCodeAt(s + i)) return false;
  return true;
}

/** 1 for True/true/TRUE/1, 0 for False/false/FALSE/0, -1 otherwise. */
function parseBoolean(text: string, s: number, e: number): number {
  const len = e - s;
  if (len === 1) {
    const c = text.charCodeAt(s);
    return c === 49 ? 1 : c === 48 ? 0 : -1;
  }
  if (len === 4 && (text.charCodeAt(s) | 32) === 116 && text.slice(s, e).toLowerCase() === 'true') return 1;
  if (len === 5 && (text.charCodeAt(s) | 32) === 102 && text.slice(s, e).toLowerCase() === 'false') return 0;
  return -1;
}

/**
 * Parses and validates the records of one chunk (the whole file is one chunk when reading on a
 * single thread). Line numbers in the result are global because the chunk knows its first line.
 */
export function parseIngestChunk(chunk: CsvChunk, layout: ColumnLayout, options: IngestOptions = {}): IngestPart {
  const builder = new IngestPartBuilder(layout, options);
  // Only the file's first character can be a byte-order mark: a later chunk starting with U+FEFF keeps it as data.
  let pos = 0;
  let line = chunk.firstLine;
  if (chunk.headerIncluded) {
    const header = readCsvHeader(chunk.text);
    pos = header.next;
    line = chunk.firstLine - 1 + header.nextLine;
  }
  const reader = new CsvReader(chunk.text, { pos, line });
  for (let status = reader.read(); status !== CSV_END; status = reader.read()) builder.add(reader, status);
  builder.endText(chunk.text, chunk.text.length);
  return builder.finish();
}

/** The buffers of a part, for `postMessage(part, transferables)`. */
export function ingestPartTransferables(part: IngestPart): ArrayBuffer[] {
  return [
    part.numbers,
    part.spans,
    part.idHashes,
    part.artistVocab.ends,
    part.genreVocab.ends,
    part.artistOffsets,
    part.artistIds,
    part.genreOffsets,
    part.genreIds,
  ].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Cuts a CSV text into about `parts` chunks of similar size, each starting at a record boundary.
 * Boundaries come from walking the records from the start with the reader the parser uses (a line
 * without a quote character costs one native indexOf), so a line break inside a quoted field is
 * never taken for a boundary and malformed quoting is segmented exactly as a single-threaded read
 * segments it. A quote-parity scan would be cheaper but disagrees with the parser on stray quotes.
 */
export function splitCsvAtRecordBoundaries(text: string, parts: number): CsvChunk[] {
  const n = text.length;
  if (parts <= 1 || n === 0) return [{ text, firstLine: 1, headerIncluded: true }];
  const header = readCsvHeader(text);
  const reader = new CsvReader(text, { pos: header.next, line: header.nextLine });
  const cuts: number[] = [0];
  const cutLines: number[] = [1];
  for (let k = 1; k < parts; k++) {
    const target = Math.floor((n * k) / parts);
    while (reader.pos < target && reader.skip() !== CSV_END);
    if (reader.pos >= n) break;
    if (reader.pos > cuts[cuts.length - 1]) {
      cuts.push(reader.pos);
      cutLines.push(reader.posLine);
    }
  }
  cuts.push(n);
  const chunks: CsvChunk[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    chunks.push({ text: text.slice(cuts[i], cuts[i + 1]), firstLine: cutLines[i], headerIncluded: i === 0 });
  }
  return chunks;
}

/**
 * Joins parts (in file order) into one catalog. Songs appear in order of their first accepted row;
 * a repeated id adds its genres to the first song (union, first-seen order) and keeps everything
 * else from the first row. Vocabularies are numbered by first use over the final song order, as
 * `CatalogBuilder` numbers them, so the result does not depend on how the file was cut.
 */
export function mergeIngestParts(
  parts: readonly IngestPart[],
  options: IngestOptions = {},
  startedAt: number = performance.now(),
): { catalog: Catalog; report: IngestReport } {
  let total = 0;
  for (const p of parts) total += p.accepted;
  const ids: string[] = [];
  const names: string[] = [];
  const albums: string[] = [];
  const columns = INGEST_NUMERIC_FIELDS.map(() => new Float32Array(total));
  const idIndex = new IdTable(total, ids);
  const artists = new StringInterner();
  const artistOffsets = new Int32Array(total + 1);
  const artistIds: number[] = [];
  // Genres get provisional ids in order of sighting and are renumbered at the end, because a
  // duplicate row late in the file can add a genre to an early song.
  const genresSeen = new StringInterner();
  const firstGenreOffsets = new Int32Array(total + 1);
  const firstGenreIds: number[] = [];
  const extraGenres = new Map<number, number[]>();
  let songs = 0;
  let duplicatesMerged = 0;
  const sourceRows = new Int32Array(total); // part row of each song, for the column copy
  for (const part of parts) {
    // Locals, not property reads, in the loop: parts arrive as structured clones.
    const {
      accepted,
      idHashes,
      artistOffsets: aOff,
      artistIds: aIds,
      genreOffsets: gOff,
      genreIds: gIds,
      numbers,
    } = part;
    const { text, spans } = part;
    const { text: artistText, ends: artistEnds } = part.artistVocab;
    const { text: genreText, ends: genreEnds } = part.genreVocab;
    const localArtist = new Int32Array(artistEnds.length).fill(-1);
    const localGenre = new Int32Array(genreEnds.length).fill(-1);
    const genreOf = (local: number): number => {
      let g = localGenre[local];
      if (g < 0)
        g = localGenre[local] = genresSeen.intern(genreText, local === 0 ? 0 : genreEnds[local - 1], genreEnds[local]);
      return g;
    };
    const firstSong = songs;
    for (let r = 0; r < accepted; r++) {
      const at = r * SPAN_COUNT;
      const existing = idIndex.find(text, spans[at], spans[at + 1], idHashes[r]);
      if (existing >= 0) {
        duplicatesMerged++;
        for (let p = gOff[r]; p < gOff[r + 1]; p++) {
          const g = genreOf(gIds[p]);
          if (hasIn(firstGenreIds, firstGenreOffsets[existing], firstGenreOffsets[existing + 1], g)) continue;
          const extra = extraGenres.get(existing);
          if (extra === undefined) extraGenres.set(existing, [g]);
          else if (!extra.includes(g)) extra.push(g);
        }
        continue;
      }
      const s = songs++;
      ids.push(text.slice(spans[at], spans[at + 1]));
      idIndex.insertLastFound(s);
      names.push(text.slice(spans[at + 2], spans[at + 3]));
      albums.push(text.slice(spans[at + 4], spans[at + 5]));
      sourceRows[s] = r;
      for (let p = aOff[r]; p < aOff[r + 1]; p++) {
        const local = aIds[p];
        let a = localArtist[local];
        if (a < 0)
          a = localArtist[local] = artists.intern(
            artistText,
            local === 0 ? 0 : artistEnds[local - 1],
            artistEnds[local],
          );
        artistIds.push(a);
      }
      artistOffsets[s + 1] = artistIds.length;
      const from = firstGenreIds.length;
      for (let p = gOff[r]; p < gOff[r + 1]; p++) {
        const g = genreOf(gIds[p]);
        if (!hasIn(firstGenreIds, from, firstGenreIds.length, g)) firstGenreIds.push(g);
      }
      firstGenreOffsets[s + 1] = firstGenreIds.length;
    }
    for (let f = 0; f < NUMERIC_COUNT; f++) {
      const column = columns[f];
      for (let s = firstSong; s < songs; s++) column[s] = numbers[sourceRows[s] * NUMERIC_COUNT + f];
    }
  }

  const genreNames: string[] = [];
  const canonical = new Int32Array(genresSeen.names.length).fill(-1);
  const genreOffsets = new Int32Array(songs + 1);
  const genreIds: number[] = [];
  const emit = (g: number): void => {
    if (canonical[g] < 0) {
      canonical[g] = genreNames.length;
      genreNames.push(genresSeen.names[g]);
    }
    genreIds.push(canonical[g]);
  };
  for (let s = 0; s < songs; s++) {
    for (let p = firstGenreOffsets[s]; p < firstGenreOffsets[s + 1]; p++) emit(firstGenreIds[p]);
    const extra = extraGenres.get(s);
    if (extra !== undefined) for (const g of extra) emit(g);
    genreOffsets[s + 1] = genreIds.length;
  }

  const column = (f: (typeof INGEST_NUMERIC_FIELDS)[number]): Float32Array =>
    columns[INGEST_NUMERIC_FIELDS.indexOf(f)].slice(0, songs);
  const audio = {} as Record<AudioFeature, Float32Array>;
  for (const f of AUDIO_FEATURES) audio[f] = column(f);
  const explicit = Uint8Array.from(column('explicit'));
  const catalog = new Catalog(
    ids,
    names,
    albums,
    artists.names,
    artistOffsets.slice(0, songs + 1),
    Int32Array.from(artistIds),
    genreNames,
    genreOffsets,
    Int32Array.from(genreIds),
    column('popularity'),
    column('durationMs'),
    explicit,
    audio,
  );

  const maxListed = options.maxRejectionsListed ?? DEFAULT_MAX_REJECTIONS;
  let rowsRead = 0;
  let rejected = 0;
  const rejectedByReason: Record<string, number> = {};
  const rejections: RejectedRow[] = [];
  for (const part of parts) {
    rowsRead += part.rowsRead;
    rejected += part.rejected;
    for (const [key, count] of Object.entries(part.rejectedByReason))
      rejectedByReason[key] = (rejectedByReason[key] ?? 0) + count;
    for (const r of part.rejections) if (rejections.length < maxListed) rejections.push(r);
  }
  const elapsedMs = performance.now() - startedAt;
  const report: IngestReport = {
    rowsRead,
    accepted: total,
    rejected,
    rejectedByReason,
    rejections,
    duplicatesMerged,
    songs,
    elapsedMs,
    songsPerSecond: elapsedMs > 0 ? Math.round((rowsRead * 1000) / elapsedMs) : 0,
  };
  return { catalog, report };
}

/**
 * Reads a whole CSV text on the calling thread. Throws a {@link CatalogFormatError} for a file it cannot read (no
 * header, a required column missing or repeated).
 */
export function ingestCatalogText(
  text: string,
  options: IngestOptions = {},
): { catalog: Catalog; report: IngestReport } {
  const startedAt = performance.now();
  const layout = resolveColumnLayout(readCsvHeader(text).columns, options.columns);
  const part = parseIngestChunk({ text, firstLine: 1, headerIncluded: true }, layout, options);
  return mergeIngestParts([part], options, startedAt);
}

/**
 * Reads a CSV delivered in arbitrary pieces (a file stream, a fetch body) without holding the
 * whole text: complete records are parsed as they arrive and only the unfinished tail is kept.
 * Gives the same result as {@link ingestCatalogText} on the concatenated text.
 */
export async function ingestCatalog(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: IngestOptions = {},
): Promise<{ catalog: Catalog; report: IngestReport }> {
  const startedAt = performance.now();
  let builder: IngestPartBuilder | null = null;
  let buffer = '';
  let line = 1;
  let first = true;
  // Rescanning an unfinished record is pointless until a line break (and, inside an open quote,
  // a quote) arrives; this keeps a long unterminated quote from making the read quadratic.
  let waitingForQuote = false;
  let sawNewline = false;
  let sawQuote = false;
  // A rescan that completes no record starts over from the record's first character, so a huge
  // record whose pieces all hold a line break and a quote (a multi-MB quoted cell with `""` and line
  // breaks) would be rescanned once per piece: quadratic. After such a rescan the next one waits until
  // the buffer has doubled, which bounds the rescanning to twice the record's length.
  let retryAtLength = 0;

  const consume = (eof: boolean): void => {
    const start = first && buffer.charCodeAt(0) === 0xfeff ? 1 : 0;
    const reader = new CsvReader(buffer, { pos: start, line, eof });
    first = false;
    waitingForQuote = false;
    for (let status = reader.read(); status !== CSV_END; status = reader.read()) {
      if (status === CSV_NEED_MORE) {
        waitingForQuote = reader.openQuote;
        break;
      }
      if (builder !== null) builder.add(reader, status);
      else if (status === CSV_UNTERMINATED) throw unterminatedHeader(reader.line);
      else if (!reader.isBlankLine())
        builder = new IngestPartBuilder(resolveColumnLayout(reader.values(), options.columns), options);
    }
    line = reader.posLine;
    retryAtLength = reader.pos === start ? buffer.length * 2 : 0;
    // Rows keep spans into the consumed part of the buffer; the builder keeps that text.
    (builder as IngestPartBuilder | null)?.endText(buffer, reader.pos);
    buffer = buffer.slice(reader.pos);
  };

  for await (const chunk of chunks) {
    buffer += chunk;
    sawNewline ||= chunk.includes('\n');
    sawQuote ||= chunk.includes('"');
    if (sawNewline && (!waitingForQuote || sawQuote) && buffer.length >= retryAtLength) {
      consume(false);
      sawNewline = sawQuote = false;
    }
  }
  consume(true);
  if (builder === null) throw emptyCsv();
  return mergeIngestParts([(builder as IngestPartBuilder).finish()], options, startedAt);
}

/** FNV-1a over UTF-16 code units. */
export function idHash(id: string): number {
  return spanHash(id, 0, id.length);
}

function spanHash(text: string, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * Song ids to song index: open addressing over typed arrays with precomputed hashes, cheaper than
 * a Map that hashes 100K fresh substrings on the merging thread.
 */
class IdTable {
  private readonly slots: Int32Array; // song index + 1; 0 = empty
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private lastSlot = -1;
  private lastHash = 0;

  constructor(
    capacity: number,
    private readonly keys: readonly string[],
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The song index of the id `source[s, e)`, or -1 (then {@link insertLastFound} may claim the probed slot). */
  find(source: string, s: number, e: number, hash: number): number {
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const slot = this.slots[i];
      if (slot === 0) break;
      if (this.hashes[i] === hash && sameChars(this.keys[slot - 1], source, s, e)) return slot - 1;
      i = (i + 1) & mask;
    }
    this.lastSlot = i;
    this.lastHash = hash;
    return -1;
  }

  insertLastFound(index: number): void {
    this.slots[this.lastSlot] = index + 1;
    this.hashes[this.lastSlot] = this.lastHash;
  }
}

function hasIn(list: readonly number[], from: number, to: number, value: number): boolean {
  for (let i = from; i < to; i++) if (list[i] === value) return true;
  return false;
}
