import { DatasetParseError } from './interaction';

export type Delimiter = ',' | '\t';

export interface DelimitedRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

/**
 * Splits delimited text into records following RFC 4180: fields may be double-quoted, a quote
 * inside is doubled, and quoted fields may span lines. CRLF and LF both end records, a leading
 * BOM is dropped and blank lines are skipped.
 */
export function* readDelimited(text: string, delimiter: Delimiter, source: string): Generator<DelimitedRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text.charCodeAt(i);
      if (atFieldStart && c === 0x22) {
        // Quoted field: read to the closing quote, unescaping "".
        i++;
        for (;;) {
          if (i >= n) throw new DatasetParseError(source, startLine, 'unterminated quoted field');
          const q = text.charCodeAt(i);
          if (q === 0x22) {
            if (text.charCodeAt(i + 1) === 0x22) {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (q === 0x0a) line++;
          field += text[i++];
        }
        const after = text.charCodeAt(i);
        if (i < n && after !== delim && after !== 0x0a && after !== 0x0d) {
          throw new DatasetParseError(source, line, 'unexpected character after a closing quote');
        }
        atFieldStart = false;
        continue;
      }
      if (c === delim) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (c === 0x0a || c === 0x0d) {
        i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        // Copy the unquoted run in one slice rather than char by char.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === delim || d === 0x0a || d === 0x0d) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
        atFieldStart = false;
      }
    }
    fields.push(field);
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: startLine, fields };
  }
}

/** Comma or tab, whichever occurs more often in the first line (ties go to comma). */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  let commas = 0;
  let tabs = 0;
  for (let i = 0; i < first.length; i++) {
    const c = first.charCodeAt(i);
    if (c === 0x2c) commas++;
    else if (c === 0x09) tabs++;
  }
  return tabs > commas ? '\t' : ',';
}

/** Quotes a field only when it holds the delimiter, a quote or a line break. */
export function quoteField(value: string, delimiter: Delimiter): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}
