/**
 * An RFC-4180 CSV reader that records field spans (offsets into the text) instead of building
 * strings, so callers only materialise the fields they keep and parse numbers straight from char
 * codes. Line breaks may be LF or CRLF; a quote only opens a quoted field at the start of a field
 * (elsewhere it is literal text, as most real-world writers expect).
 *
 * Every record boundary decision is made here, and the parallel splitter uses the same reader, so
 * a file cut into chunks is segmented exactly as it is when read in one piece.
 */

/** The field was enclosed in quotes; its span excludes them. */
export const CSV_QUOTED = 1;
/** The quoted field contains doubled quotes (`""`) that must be collapsed when read. */
export const CSV_ESCAPED = 2;
/** Text followed the closing quote before the next separator (`"ab"c`): malformed. */
export const CSV_BAD_QUOTE = 4;

/** A record was read; it ended with a line break, or at the end of a text read with `eof`. */
export const CSV_COMPLETE = 0;
/** The record runs past the end of the text and `eof` is false: the caller must supply more text. */
export const CSV_NEED_MORE = 1;
/** A quoted field is never closed: the record is cut at the end of its first line (one bad line, not the rest of the file). */
export const CSV_UNTERMINATED = 2;
/** No more records. */
export const CSV_END = 3;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export interface CsvReaderOptions {
  /** Offset of the first record (default 0; a leading byte-order mark is skipped). */
  pos?: number;
  /** Physical line number at `pos` (default 1). */
  line?: number;
  /** The text ends the input (default true); false when more text may follow. */
  eof?: boolean;
}

/**
 * Reads one record at a time from a text. After {@link read}, `starts/ends/flags[0 … count)` hold
 * the fields of the record that starts on physical line `line`.
 */
export class CsvReader {
  starts = new Int32Array(32);
  ends = new Int32Array(32);
  flags = new Uint8Array(32);
  count = 0;
  /** Line breaks inside quoted fields: the record spans `1 + newlines` physical lines. */
  newlines = 0;
  /** Some field of the record has {@link CSV_BAD_QUOTE}. */
  badQuote = false;
  /** With {@link CSV_NEED_MORE}: the text ended inside a quoted field, so only a quote can finish it. */
  openQuote = false;
  /** Physical line (1-based) where the record just read starts. */
  line: number;
  /** Offset where the next record starts. */
  pos: number;
  /** Physical line number at `pos`. */
  posLine: number;
  private readonly eof: boolean;
  // Positions of the next separators, found with native indexOf and reused until passed.
  private nextComma = -1;
  private nextLf = -1;
  private nextQuote = -1;

  constructor(
    readonly text: string,
    options: CsvReaderOptions = {},
  ) {
    this.pos = options.pos ?? (text.charCodeAt(0) === 0xfeff ? 1 : 0);
    this.line = this.posLine = options.line ?? 1;
    this.eof = options.eof ?? true;
  }

  /** The field's text with doubled quotes collapsed. */
  value(i: number): string {
    const s = this.text.slice(this.starts[i], this.ends[i]);
    return (this.flags[i] & CSV_ESCAPED) !== 0 ? s.replace(/""/g, '"') : s;
  }

  values(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.value(i));
    return out;
  }

  /** A blank line (nothing before the line break) is not a record. */
  isBlankLine(): boolean {
    return this.count === 1 && this.flags[0] === 0 && this.starts[0] === this.ends[0];
  }

  /**
   * Moves past one record without recording fields when its line holds no quote character
   * (one native indexOf instead of a field scan); same boundaries as {@link read}.
   */
  skip(): number {
    const text = this.text;
    const p = this.pos;
    if (p >= text.length) return CSV_END;
    if (this.nextQuote < p) {
      this.nextQuote = text.indexOf('"', p);
      if (this.nextQuote === -1) this.nextQuote = text.length;
    }
    if (this.nextLf < p) {
      this.nextLf = text.indexOf('\n', p);
      if (this.nextLf === -1) this.nextLf = text.length;
    }
    if (this.nextLf < this.nextQuote && this.nextLf < text.length) {
      this.line = this.posLine;
      this.posLine++;
      this.pos = this.nextLf + 1;
      this.count = 0;
      this.newlines = 0;
      return CSV_COMPLETE;
    }
    return this.read();
  }

  /** Reads the record at `pos`; on {@link CSV_NEED_MORE} nothing moves, so the caller can retry with a longer text. */
  read(): number {
    const text = this.text;
    const n = text.length;
    const start = this.pos;
    if (start >= n) return CSV_END;
    const eof = this.eof;
    let p = start;
    let count = 0;
    let newlines = 0;
    let c = 0;
    this.badQuote = false;
    for (;;) {
      if (count === this.starts.length) this.grow();
      c = p < n ? text.charCodeAt(p) : -1;
      let flags = 0;
      if (c === QUOTE) {
        flags = CSV_QUOTED;
        let q = p + 1;
        for (;;) {
          const k = text.indexOf('"', q);
          if (k === -1) {
            if (!eof) return this.needMore(true);
            const lineEnd = text.indexOf('\n', start);
            this.count = count;
            this.newlines = 0;
            this.line = this.posLine;
            this.posLine++;
            this.pos = lineEnd === -1 ? n : lineEnd + 1;
            // The search for a closing quote ran past the new `pos`, and so may have the cached separator
            // positions: they would make the next record skip the separators of the lines in between.
            this.nextComma = this.nextLf = this.nextQuote = -1;
            return CSV_UNTERMINATED;
          }
          for (let i = q; i < k; i++) if (text.charCodeAt(i) === LF) newlines++;
          if (k + 1 >= n && !eof) return this.needMore(false);
          if (k + 1 < n && text.charCodeAt(k + 1) === QUOTE) {
            flags |= CSV_ESCAPED;
            q = k + 2;
            continue;
          }
          this.starts[count] = p + 1;
          this.ends[count] = k;
          p = k + 1;
          break;
        }
        c = p < n ? text.charCodeAt(p) : -1;
        if (c === CR && p + 1 >= n && !eof) return this.needMore(false);
        if (c !== COMMA && c !== LF && c !== -1 && !(c === CR && (p + 1 >= n || text.charCodeAt(p + 1) === LF))) {
          // Read on to the next separator like an unquoted field, so the record boundary stays where a
          // lenient reader would put it; the caller rejects the record.
          flags |= CSV_BAD_QUOTE;
          this.badQuote = true;
          while (p < n) {
            c = text.charCodeAt(p);
            if (c === COMMA || c === LF) break;
            p++;
          }
          if (p >= n && !eof) return this.needMore(false);
          this.ends[count] = text.charCodeAt(p - 1) === CR && c !== COMMA ? p - 1 : p;
        }
      } else {
        if (this.nextComma < p) {
          this.nextComma = text.indexOf(',', p);
          if (this.nextComma === -1) this.nextComma = n;
        }
        if (this.nextLf < p) {
          this.nextLf = text.indexOf('\n', p);
          if (this.nextLf === -1) this.nextLf = n;
        }
        const e = this.nextComma < this.nextLf ? this.nextComma : this.nextLf;
        if (e >= n && !eof) return this.needMore(false);
        this.starts[count] = p;
        // A CR before the line break (or at the very end) belongs to the CRLF, not to the field.
        this.ends[count] = e > p && e === this.nextLf && text.charCodeAt(e - 1) === CR ? e - 1 : e;
        p = e;
      }
      this.flags[count] = flags;
      count++;
      if (p >= n) {
        this.pos = n;
        break;
      }
      c = text.charCodeAt(p);
      if (c === COMMA) {
        p++;
        continue;
      }
      if (c === CR) p++; // CRLF after a quoted field (a CR at the very end was handled above)
      this.pos = p + 1 > n ? n : p + 1;
      break;
    }
    this.count = count;
    this.newlines = newlines;
    this.line = this.posLine;
    this.posLine += 1 + newlines;
    return CSV_COMPLETE;
  }

  private needMore(openQuote: boolean): number {
    this.openQuote = openQuote;
    return CSV_NEED_MORE;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

/** One parsed record, for callers that want plain strings (tests, small files, headers). */
export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  error?: 'unterminated-quote' | 'bad-quote';
}

/** Parses a whole CSV text into records; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const reader = new CsvReader(text);
  for (let status = reader.read(); status !== CSV_END; status = reader.read()) {
    const record: CsvRecord = { line: reader.line, fields: reader.values() };
    if (status === CSV_UNTERMINATED) record.error = 'unterminated-quote';
    else if (reader.isBlankLine()) continue;
    else if (reader.badQuote) record.error = 'bad-quote';
    out.push(record);
  }
  return out;
}
