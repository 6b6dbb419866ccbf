import { CatalogFormatError } from './catalog-format-error';

const SAVE_AS_UTF8 = 'save the file as UTF-8';

/** Byte-order marks of encodings a catalog is not in; UTF-32LE first because its mark starts like UTF-16LE's. */
const FOREIGN_MARKS: readonly { encoding: string; bytes: readonly number[] }[] = [
  { encoding: 'UTF-32LE', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { encoding: 'UTF-32BE', bytes: [0x00, 0x00, 0xfe, 0xff] },
  { encoding: 'UTF-16LE', bytes: [0xff, 0xfe] },
  { encoding: 'UTF-16BE', bytes: [0xfe, 0xff] },
];
const SNIFF_BYTES = 4;
const EMPTY = new Uint8Array(0);
const LF = 10;

/**
 * Strict UTF-8 for catalog files, fed in pieces of any size. A lenient decoder turns a Latin-1 or UTF-16 file into
 * replacement characters or NUL-riddled text, which then surfaces as a baffling "missing column" or as thousands of
 * mangled names; this one refuses the file with a {@link CatalogFormatError} that says what the bytes are and where
 * they stop being UTF-8. A UTF-8 byte-order mark is kept as U+FEFF (the CSV reader skips it at the start).
 */
export class CatalogTextDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Bytes held back: the first few until the encoding is sniffed, then an unfinished character. */
  private pending: Uint8Array = EMPTY;
  private sniffed = false;
  /** Byte offset and line number (1-based, by LF) of `pending[0]` in the whole input. */
  private offset = 0;
  private line = 1;

  /** The text of the bytes so far, minus a character cut at the end (returned with the next piece). */
  write(bytes: Uint8Array): string {
    const input = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    if (!this.sniffed) {
      if (input.length < SNIFF_BYTES) {
        this.pending = input.slice();
        return '';
      }
      this.sniff(input);
    }
    const cut = completeLength(input);
    const text = this.decode(input.subarray(0, cut), input);
    // Copied: the caller may reuse its buffer for the next piece.
    this.pending = cut === input.length ? EMPTY : input.slice(cut);
    return text;
  }

  /** The end of the input: the rest of the text, or an error when the input stops inside a character. */
  end(): string {
    const input = this.pending;
    this.pending = EMPTY;
    if (!this.sniffed && input.length > 0) this.sniff(input);
    this.sniffed = true;
    return this.decode(input);
  }

  private sniff(input: Uint8Array): void {
    this.sniffed = true;
    for (const mark of FOREIGN_MARKS) {
      if (mark.bytes.every((b, i) => input[i] === b)) {
        throw new CatalogFormatError(
          'encoding',
          `CSV is ${mark.encoding} (it starts with that byte-order mark), not UTF-8; ${SAVE_AS_UTF8}`,
        );
      }
    }
    // A header is text: NUL bytes in its first characters mean a wide encoding whose mark is missing.
    if (input.subarray(0, SNIFF_BYTES).includes(0)) {
      throw new CatalogFormatError(
        'encoding',
        `CSV is not UTF-8: it starts with NUL bytes, as UTF-16 or UTF-32 text does; ${SAVE_AS_UTF8}`,
      );
    }
  }

  /** `bytes` are a prefix of `available`, which is searched for the error: a character cut at the prefix's end is whole there. */
  private decode(bytes: Uint8Array, available: Uint8Array = bytes): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      throw this.invalidAt(available);
    }
    this.offset += bytes.length;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
    return text;
  }

  private invalidAt(bytes: Uint8Array): CatalogFormatError {
    // The platform decoder refused these bytes, so there is an error to find.
    const { offset: at, unfinished } = utf8ErrorAt(bytes) ?? { offset: 0, unfinished: false };
    if (unfinished) return new CatalogFormatError('encoding', 'CSV is not valid UTF-8: it ends inside a character');
    let line = this.line;
    for (let i = 0; i < at; i++) if (bytes[i] === LF) line++;
    const byte = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    return new CatalogFormatError(
      'encoding',
      `CSV is not valid UTF-8: byte 0x${byte} on line ${line} (byte offset ${this.offset + at}) is not part of a ` +
        `UTF-8 character (is the file Latin-1 or Windows-1252?); ${SAVE_AS_UTF8}`,
    );
  }
}

/** Strictly decodes a whole catalog file; throws {@link CatalogFormatError} when it is not UTF-8. */
export function decodeCatalogBytes(bytes: Uint8Array): string {
  const decoder = new CatalogTextDecoder();
  return decoder.write(bytes) + decoder.end();
}

/** Strictly decodes a catalog file that arrives in pieces (a file or network stream), for {@link ingestCatalog}. */
export async function* decodeCatalogChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new CatalogTextDecoder();
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Length of `bytes` without a multi-byte character cut off at the end (up to 3 bytes are held back). */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = n - 1;
  while (i >= 0 && i > n - 4 && (bytes[i] & 0xc0) === 0x80) i--;
  if (i < 0 || bytes[i] < 0xc0) return n;
  const size = bytes[i] >= 0xf0 ? 4 : bytes[i] >= 0xe0 ? 3 : 2;
  return n - i < size ? i : n;
}

/**
 * Where `bytes` stop being well-formed UTF-8 (the Unicode rules: no overlong forms, no surrogates, nothing above
 * U+10FFFF): the offset of the first byte of the offending sequence, and whether that sequence is merely unfinished
 * (cut off by the end of the bytes); `undefined` when all of it is well-formed. Only explains a failure, so it
 * favours plainness over speed.
 */
export function utf8ErrorAt(bytes: Uint8Array): { offset: number; unfinished: boolean } | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) size = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return { offset: i, unfinished: false };
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return { offset: i, unfinished: true };
      const c = bytes[i + k];
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return { offset: i, unfinished: false };
    }
    i += size;
  }
  return undefined;
}
