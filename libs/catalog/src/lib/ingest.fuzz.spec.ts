import fc from 'fast-check';
import type { Catalog } from './catalog';
import { CatalogFormatError, type CatalogFormatProblem } from './catalog-format-error';
import { decodeCatalogBytes, decodeCatalogChunks, utf8ErrorAt } from './catalog-text-decoder';
import {
  type IngestReport,
  ingestCatalog,
  ingestCatalogText,
  mergeIngestParts,
  parseIngestChunk,
  readCsvHeader,
  resolveColumnLayout,
  SPOTIFY_COLUMNS,
  splitCsvAtRecordBoundaries,
} from './ingest';

/*
 * Hostile-input properties of the catalog ingest. Whatever the bytes, the three ways of reading a file (whole
 * text, streamed in pieces of any size, cut into parts for worker threads) must agree, and each either returns a
 * consistent report or throws a CatalogFormatError: never another exception type, never a hang. Runs are seeded
 * (FUZZ_SEED overrides) so a failure reproduces; fast-check prints the seed and the shrunk counterexample.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261125);
// `timeout` fails a run that does not settle: a hang shows up as a counterexample rather than a stuck suite.
const settings = (numRuns: number) => ({ seed: SEED, numRuns, timeout: 10_000 });

const HEADER = Object.values(SPOTIFY_COLUMNS).join(',');
/** Real rows of the Kaggle file, plus quoting, line breaks in fields, CRLF, a duplicate id and multi-byte text. */
const SAMPLE =
  [
    HEADER,
    '5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic',
    '0dzKBptH2P5j5a0MifBMwM,Jason Mraz,Feeling Good - Adult Pop Favorites,If It Kills Me,0,273653,False,0.633,0.429,4,-6.784,0,0.0381,0.0444,0.0,0.132,0.52,143.793,4,acoustic',
    '1yycinn2WICj4UKGQ9xPjD,Ichiko Aoba,マホロボシヤ,太陽さん,55,144653,False,0.44,0.0353,6,-20.858,1,0.0522,0.99,0.0,0.1,0.2,80.1,3,j-pop\r',
    '78TKtlSLWK8pZAKKW3MyQL,A Great Big World;Christina Aguilera,Say Something,"Say ""Something""",58,229400,False,0.453,0.146,2,-8.976,1,0.0343,0.867,3.49e-06,0.1,0.09,141.3,3,pop',
    '',
    't5,Beyoncé;JAY-Z,"Dangerously\nIn Love","Crazy, In Love 🎵",70,236000,True,0.5,0.6,5,-7.5,1,0.05,0.2,0.0,0.1,0.7,120.5,4,r-n-b',
    '5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,j-pop',
    't7,Sigur Rós,Takk...,Hoppípolla,50,268000,False,0.2,0.3,-1,-12,0,0.03,0.9,0.8,0.1,0.1,75,4,ambient',
  ].join('\n') + '\n';
const SAMPLE_BYTES = new TextEncoder().encode(SAMPLE);

type Outcome = { report: Omit<IngestReport, 'elapsedMs' | 'songsPerSecond'>; songs: string[] } | { error: string };

/** What a read produced, comparable across read paths; any exception but a CatalogFormatError fails the test. */
function outcomeOf(result: { catalog: Catalog; report: IngestReport }): Outcome {
  const { elapsedMs: _e, songsPerSecond: _s, ...report } = result.report;
  return { report, songs: result.catalog.ids };
}

function refusal(error: unknown): Outcome {
  if (!(error instanceof CatalogFormatError)) throw error;
  expect(error.message).toMatch(/^CSV /);
  return { error: `${error.problem}: ${error.message}` };
}

function wholeText(text: string): Outcome {
  try {
    return outcomeOf(ingestCatalogText(text));
  } catch (error) {
    return refusal(error);
  }
}

async function streamed(pieces: Iterable<string> | AsyncIterable<string>): Promise<Outcome> {
  try {
    return outcomeOf(await ingestCatalog(pieces));
  } catch (error) {
    return refusal(error);
  }
}

function inParts(text: string, parts: number): Outcome {
  try {
    const layout = resolveColumnLayout(readCsvHeader(text).columns);
    const chunks = splitCsvAtRecordBoundaries(text, parts);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    return outcomeOf(mergeIngestParts(chunks.map((c) => parseIngestChunk(c, layout))));
  } catch (error) {
    return refusal(error);
  }
}

/** Cuts `items` (a string or bytes) into consecutive pieces of the given sizes, the rest in one last piece. */
function cut<T extends string | Uint8Array>(items: T, sizes: readonly number[]): T[] {
  const pieces: T[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= items.length) break;
    pieces.push(items.slice(at, at + size) as T);
    at += size;
  }
  if (at < items.length || pieces.length === 0) pieces.push(items.slice(at) as T);
  return pieces;
}

/** The report agrees with itself and with the text it came from. */
function checkReport(text: string, outcome: Outcome): void {
  if ('error' in outcome) return;
  const { report, songs } = outcome;
  const lines = text.split('\n').length;
  expect(report.accepted + report.rejected).toBe(report.rowsRead);
  expect(report.songs).toBe(report.accepted - report.duplicatesMerged);
  expect(songs).toHaveLength(report.songs);
  expect(new Set(songs).size).toBe(songs.length);
  expect(Object.values(report.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(report.rejected);
  expect(report.rejections).toHaveLength(Math.min(report.rejected, 1000));
  expect(report.rowsRead).toBeLessThan(lines);
  let previous = 1;
  for (const { line } of report.rejections) {
    // The header is line 1; rejections come in file order, one per record.
    expect(line).toBeGreaterThan(previous);
    expect(line).toBeLessThanOrEqual(lines);
    previous = line;
  }
}

/** Reads `text` all three ways, checks they agree, and returns the common outcome. */
async function readAllWays(text: string, pieceSizes: readonly number[], parts: number): Promise<Outcome> {
  const whole = wholeText(text);
  expect(await streamed(cut(text, pieceSizes))).toEqual(whole);
  expect(inParts(text, parts)).toEqual(whole);
  checkReport(text, whole);
  return whole;
}

/** Decodes `bytes` whole and in pieces (they must agree) into text, or the encoding refusal. */
async function decodeAllWays(bytes: Uint8Array, pieceSizes: readonly number[]): Promise<string | Outcome> {
  let whole: string | Outcome;
  try {
    whole = decodeCatalogBytes(bytes);
  } catch (error) {
    whole = refusal(error);
  }
  let pieces: string | Outcome;
  try {
    const texts: string[] = [];
    for await (const text of decodeCatalogChunks(cut(bytes, pieceSizes))) texts.push(text);
    pieces = texts.join('');
  } catch (error) {
    pieces = refusal(error);
  }
  expect(pieces).toEqual(whole);
  return whole;
}

const pieceSizes = fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 40 });
const parts = fc.integer({ min: 1, max: 8 });

/** Byte-level damage: overwrite, flip a bit, delete, insert, duplicate a span, or truncate. */
const byteEdit = fc.oneof(
  fc.record({ op: fc.constant('set'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('flip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('delete'), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({
    op: fc.constant('insert'),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 8 }).map((b) => Array.from(b)),
  }),
  fc.record({
    op: fc.constant('insertText'),
    at: fc.nat(),
    text: fc.string({ unit: fc.constantFrom('"', '""', ',', '\n', '\r\n', '\r', ';', ' ', 'x', '9', '.', '-', 'é') }),
  }),
  fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
);
type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdits(source: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let bytes = Array.from(source);
  for (const edit of edits) {
    const at = edit.at % (bytes.length + 1);
    switch (edit.op) {
      case 'set':
        if (at < bytes.length) bytes[at] = edit.byte;
        break;
      case 'flip':
        if (at < bytes.length) bytes[at] ^= 1 << edit.bit;
        break;
      case 'delete':
        bytes.splice(at, edit.length);
        break;
      case 'insert':
        bytes.splice(at, 0, ...edit.bytes);
        break;
      case 'insertText':
        bytes.splice(at, 0, ...new TextEncoder().encode(edit.text));
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(bytes);
}

describe(`catalog ingest under hostile input (fast-check seed ${SEED}; FUZZ_SEED to change)`, () => {
  it('the unmodified sample reads the same all three ways', async () => {
    const outcome = await readAllWays(SAMPLE, [7, 13], 3);
    expect(outcome).toMatchObject({
      report: { rowsRead: 7, accepted: 7, rejected: 0, duplicatesMerged: 1, songs: 6 },
    });
  });

  it('damaged bytes give a consistent report or a CatalogFormatError, the same however they are read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(byteEdit, { minLength: 1, maxLength: 6 }),
        pieceSizes,
        parts,
        async (edits, sizes, n) => {
          const decoded = await decodeAllWays(applyEdits(SAMPLE_BYTES, edits), sizes);
          if (typeof decoded !== 'string') {
            // Damage to the first bytes can also look like another encoding's byte-order mark or NUL bytes.
            expect(decoded).toEqual({
              error: expect.stringMatching(/^encoding: CSV is not (valid )?UTF-8|^encoding: CSV is UTF-/),
            });
            return;
          }
          await readAllWays(decoded, sizes, n);
        },
      ),
      settings(250),
    );
  });

  it('a file cut at any offset reads consistently, rejecting only lines it has', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(SAMPLE_BYTES.length), pieceSizes, parts, async (at, sizes, n) => {
        const decoded = await decodeAllWays(SAMPLE_BYTES.slice(0, at), sizes);
        if (typeof decoded !== 'string') {
          // Only a cut inside a multi-byte character can make the bytes invalid.
          expect(decoded).toEqual({ error: 'encoding: CSV is not valid UTF-8: it ends inside a character' });
          return;
        }
        const outcome = await readAllWays(decoded, sizes, n);
        if (at === 0) expect(outcome).toEqual({ error: 'empty: CSV is empty: no header line' });
      }),
      settings(200),
    );
  });

  /** CSV text assembled from fragments that stress quoting, line breaks and the header. */
  const header = fc
    .record({
      drop: fc.subarray(Object.values(SPOTIFY_COLUMNS), { maxLength: 2 }),
      repeat: fc.option(fc.constantFrom(...Object.values(SPOTIFY_COLUMNS), 'extra', 'extra'), { freq: 3 }),
      shuffle: fc.boolean(),
      bom: fc.boolean(),
    })
    .map(({ drop, repeat, shuffle, bom }) => {
      const names = Object.values(SPOTIFY_COLUMNS).filter((c) => !drop.includes(c));
      if (repeat !== null) names.push(repeat);
      if (shuffle) names.reverse();
      if (repeat === 'extra') names.push(repeat);
      return { names, repeat, text: (bom ? '\uFEFF' : '') + names.join(',') };
    });
  const field = fc.oneof(
    fc.constantFrom('0.5', '1', '0', '-1', '120.5', 'True', 'false', 'pop', 'A;B', '', ' ', 'NaN', '1e309', '-0'),
    fc.string({
      unit: fc.constantFrom('a', 'é', '🎵', ',', '"', '""', '\n', '\r\n', ';', ' ', '7', '.'),
      maxLength: 12,
    }),
    fc.string({ unit: fc.constantFrom('a', ',', '""', '\n', '\r\n', ' '), maxLength: 10 }).map((s) => `"${s}"`),
  );
  const lineBreak = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n');
  const record = fc.oneof(
    { weight: 3, arbitrary: fc.array(field, { minLength: 20, maxLength: 20 }).map((f) => f.join(',')) },
    { weight: 1, arbitrary: fc.array(field, { minLength: 0, maxLength: 23 }).map((f) => f.join(',')) },
    { weight: 2, arbitrary: fc.constantFrom(...SAMPLE.split('\n').slice(1, -1)) },
  );
  const csvFile = fc
    .tuple(header, fc.array(fc.tuple(record, lineBreak), { maxLength: 12 }), fc.boolean())
    .map(([h, rows, finalBreak]) => ({
      header: h,
      text: [h.text, ...rows.map(([r, br]) => br + r)].join('') + (finalBreak ? '\n' : ''),
    }));

  it('assembled files: a consistent report, or a refusal that names the missing or repeated column', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, pieceSizes, parts, async ({ header: h, text }, sizes, n) => {
        const outcome = await readAllWays(text, sizes, n);
        const optional = ['album_name', 'popularity', 'duration_ms', 'explicit', 'time_signature'];
        const names = Object.values(SPOTIFY_COLUMNS);
        const expected: CatalogFormatProblem | undefined = names.some(
          (c) => !optional.includes(c) && !h.names.includes(c),
        )
          ? 'missing-columns'
          : names.some((c) => h.names.indexOf(c) !== h.names.lastIndexOf(c))
            ? 'duplicate-columns'
            : undefined;
        // A first record starting with a line break can merge into the header (CR-only files are one line).
        if (expected === undefined || /\r(?!\n)/.test(text)) return;
        expect(outcome).toEqual({ error: expect.stringMatching(new RegExp(`^${expected}: `)) });
        if (expected === 'duplicate-columns') {
          expect('error' in outcome && outcome.error).toContain(`"${h.repeat}" (columns `);
        }
      }),
      settings(400),
    );
  });
});

describe('catalog file encodings', () => {
  it('keeps a UTF-8 byte-order mark out of the first column name', async () => {
    const withMark = Uint8Array.from([0xef, 0xbb, 0xbf, ...SAMPLE_BYTES]);
    const decoded = await decodeAllWays(withMark, [1, 2, 3]);
    expect(decoded).toBe('\uFEFF' + SAMPLE);
    expect(await readAllWays(decoded as string, [5], 2)).toEqual(wholeText(SAMPLE));
  });

  it.each([
    ['UTF-16LE', [0xff, 0xfe], 'utf16le'],
    ['UTF-16BE', [0xfe, 0xff], 'utf16be'],
  ] as const)('refuses %s with its byte-order mark, naming it', async (name, mark, encoding) => {
    const bytes = Uint8Array.from([...mark, ...encodeWide(SAMPLE, encoding)]);
    expect(await decodeAllWays(bytes, [1, 1, 1, 64])).toEqual({
      error: `encoding: CSV is ${name} (it starts with that byte-order mark), not UTF-8; save the file as UTF-8`,
    });
  });

  it('refuses UTF-16 without a byte-order mark by its NUL bytes', async () => {
    expect(await decodeAllWays(encodeWide(SAMPLE, 'utf16le'), [3])).toEqual({
      error: expect.stringMatching(/^encoding: CSV is not UTF-8: it starts with NUL bytes, as UTF-16 or UTF-32/),
    });
  });

  it('refuses Latin-1 text, naming the first non-UTF-8 byte with its line and offset', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ',', '\n', 'é', 'ü', 'ß', 'ñ', ' ') }), { maxLength: 8 }),
        pieceSizes,
        async (lines, sizes) => {
          const text = [HEADER, ...lines].join('\n');
          const latin1 = Uint8Array.from(text, (c) => c.charCodeAt(0));
          const firstWide = latin1.findIndex((byte) => byte > 0x7f);
          const decoded = await decodeAllWays(latin1, sizes);
          if (firstWide < 0) {
            expect(decoded).toBe(text);
            return;
          }
          const code = text.charCodeAt(firstWide);
          if (firstWide === text.length - 1 && code >= 0xc2 && code <= 0xf4) {
            // A UTF-8 lead byte (é, ß, ñ; not ü) with nothing after it is an unfinished character, not a wrong one.
            expect(decoded).toEqual({ error: 'encoding: CSV is not valid UTF-8: it ends inside a character' });
            return;
          }
          const line = text.slice(0, firstWide).split('\n').length;
          const byte = code.toString(16).toUpperCase();
          expect(decoded).toEqual({
            error:
              `encoding: CSV is not valid UTF-8: byte 0x${byte} on line ${line} (byte offset ${firstWide}) is not ` +
              'part of a UTF-8 character (is the file Latin-1 or Windows-1252?); save the file as UTF-8',
          });
        },
      ),
      settings(150),
    );
  });

  it('locates invalid UTF-8 exactly where the platform decoder stops accepting it', () => {
    const valid = (bytes: Uint8Array): boolean => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    // Mostly well-formed text (every character width, surrogate neighbours, U+10FFFF) with a few random bytes in it.
    const damaged = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.uint8Array({ maxLength: 3 }), fc.nat())
      .map(([text, junk, at]) => {
        const bytes = Array.from(new TextEncoder().encode(text));
        bytes.splice(at % (bytes.length + 1), 0, ...junk);
        return Uint8Array.from(bytes);
      });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.uint8Array({ maxLength: 12 })), (bytes) => {
        const error = utf8ErrorAt(bytes);
        expect(valid(bytes)).toBe(error === undefined);
        if (error === undefined) return;
        expect(valid(bytes.subarray(0, error.offset))).toBe(true);
        if (error.unfinished) {
          // A character cut off by the end: the lenient decoder's one replacement character is at the very end.
          expect(error.offset).toBeGreaterThanOrEqual(bytes.length - 3);
          expect(new TextDecoder().decode(bytes.subarray(error.offset))).toBe('\uFFFD');
        } else {
          expect(valid(bytes.subarray(0, error.offset + 1))).toBe(false);
          expect(new TextDecoder().decode(bytes.subarray(error.offset)).startsWith('\uFFFD')).toBe(true);
        }
      }),
      settings(500),
    );
  });
});

describe('huge and degenerate catalog files', () => {
  const [, row] = SAMPLE.split('\n');
  /** The sample row with the track name replaced by `name` (already quoted as needed), then one normal row. */
  const withName = (name: string) =>
    `${HEADER}\n${row.replace(',Comedy,73,', `,${name},73,`)}\n${row.replace('5Su', 'x')}\n`;
  const inPiecesOf = (text: string, size: number) => cut(text, Array<number>(Math.ceil(text.length / size)).fill(size));

  it('streams a multi-MB quoted cell full of line breaks and doubled quotes without rescanning it per piece', async () => {
    // Every piece holds a line break and a quote, which used to trigger a rescan of the record from its start:
    // some 2,500 scans of up to 2.4 MB here, minutes of work. Pieces arrive a macrotask apart, so the test times
    // out instead of blocking the event loop if that comes back.
    const cell = 'ab""c\n'.repeat(400_000);
    const text = withName(`"${cell}"`);
    async function* slowly(pieces: string[]) {
      for (const piece of pieces) {
        await new Promise((resolve) => setImmediate(resolve));
        yield piece;
      }
    }
    const result = await ingestCatalog(slowly(inPiecesOf(text, 1024)));
    expect(outcomeOf(result)).toEqual(wholeText(text));
    expect(result.report).toMatchObject({ accepted: 2, rejected: 0 });
    expect(result.catalog.names[0]).toBe(cell.replace(/""/g, '"'));
  }, 30_000);

  it('reads a multi-MB unquoted cell, and rejects a multi-MB number quoting only its start', async () => {
    const big = 'x'.repeat(4_000_000);
    expect(wholeText(withName(big))).toMatchObject({ report: { accepted: 2 } });
    const text = `${HEADER}\n${row.replace(',73,', `,${'7'.repeat(4_000_000)},`)}\n`;
    const outcome = await streamed(inPiecesOf(text, 64 * 1024));
    expect(outcome).toEqual(wholeText(text));
    expect(outcome).toMatchObject({
      report: {
        rejections: [{ line: 2, field: 'popularity', reason: expect.stringContaining(`"${'7'.repeat(40)}…"`) }],
      },
    });
  }, 30_000);

  it('rejects a multi-MB unterminated quote as one line and reads every line after it', async () => {
    const text = withName(`"${'never closed, '.repeat(300_000)}`) + row.replace('5Su', 'y') + '\n';
    const outcome = await streamed(inPiecesOf(text, 16 * 1024));
    expect(outcome).toEqual(wholeText(text));
    expect(outcome).toMatchObject({
      report: { accepted: 2, rejectedByReason: { 'unterminated-quote': 1 }, rejections: [{ line: 2 }] },
    });
  }, 30_000);

  it('reads the line after an unterminated quote on its own, not up to a later quote', () => {
    // The quote opened on line 2 closes on line 4 and the record then ends in another unterminated quote, so the
    // reader cuts the record back to line 2. It used to keep separator positions found on line 4 and read
    // line 3 as one field running into line 4.
    const text = `${HEADER}\n${row.replace(',Comedy,73', ',"Comedy,73')}\n${row.replace('5Su', 'x')}\n",,"${row}\n`;
    const outcome = wholeText(text);
    expect(outcome).toMatchObject({
      report: {
        accepted: 1,
        rejections: [
          { line: 2, reason: expect.stringMatching(/never closed/) },
          { line: 4, reason: 'track_id: text after the closing quote' },
        ],
      },
      songs: ['xOikwiRyPMVoIQDJUgSV'],
    });
  });

  it('keeps U+FEFF at the start of a later part as data, as a single read does', () => {
    const text = `${HEADER}\n\uFEFF\n${row}\n`;
    for (const n of [1, 2, 3]) expect(inParts(text, n)).toEqual(wholeText(text));
    expect(wholeText(text)).toMatchObject({
      report: { rejections: [{ line: 2, reason: 'expected 20 fields, found 1' }] },
    });
  });

  it.each([
    ['an empty file', '', 'empty: CSV is empty: no header line'],
    ['only blank lines', '\n\r\n\n', 'empty: CSV is empty: no header line'],
    ['a byte-order mark alone', '\uFEFF', 'empty: CSV is empty: no header line'],
    [
      'an unterminated header',
      '"track_id,artists\n',
      'unterminated-header: CSV header on line 1 has an unterminated quoted field',
    ],
    [
      'a header that is not ours',
      'a,b,c\n1,2,3\n',
      expect.stringMatching(/^missing-columns: CSV is missing required column\(s\) "track_id" \(id\)/),
    ],
  ])('refuses %s', async (_name, text, error) => {
    expect(await readAllWays(text, [1, 3], 2)).toEqual({ error });
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reads a header-only file (%s) as an empty catalog', async (_name, eol) => {
    expect(await readAllWays(HEADER + eol, [4], 3)).toMatchObject({ report: { rowsRead: 0, songs: 0 }, songs: [] });
  });

  it('reads a file mixing LF and CRLF exactly like its LF-only twin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), pieceSizes, async (crlf, sizes) => {
        let i = 0;
        // Every record end, not the line break inside the quoted album "Dangerously\nIn Love".
        const mixed = SAMPLE.replace(/\r?\n(?!In Love)/g, () => (crlf[i++ % crlf.length] ? '\r\n' : '\n'));
        expect(await readAllWays(mixed, sizes, 3)).toEqual(wholeText(SAMPLE.replace(/\r\n/g, '\n')));
      }),
      settings(100),
    );
  });
});

function encodeWide(text: string, encoding: 'utf16le' | 'utf16be'): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i + (encoding === 'utf16le' ? 0 : 1)] = c & 0xff;
    out[2 * i + (encoding === 'utf16le' ? 1 : 0)] = c >> 8;
  }
  return out;
}
