import { Catalog } from './catalog';
import {
  type IngestReport,
  ingestCatalog,
  ingestCatalogText,
  mergeIngestParts,
  packStrings,
  parseIngestChunk,
  readCsvHeader,
  resolveColumnLayout,
  SPOTIFY_COLUMNS,
  splitCsvAtRecordBoundaries,
  unpackStrings,
} from './ingest';

const HEADER = Object.values(SPOTIFY_COLUMNS).join(',');
const BASE: Record<string, string> = {
  track_id: 't1',
  artists: 'Ann',
  album_name: 'Album',
  track_name: 'Song',
  popularity: '50',
  duration_ms: '200000',
  explicit: 'False',
  danceability: '0.5',
  energy: '0.6',
  key: '5',
  loudness: '-7.5',
  mode: '1',
  speechiness: '0.05',
  acousticness: '0.2',
  instrumentalness: '1.01e-06',
  liveness: '0.1',
  valence: '0.7',
  tempo: '120.5',
  time_signature: '4',
  track_genre: 'pop',
};

/** One Spotify-shaped CSV line; values are written as given (quote them yourself when needed). */
function row(overrides: Record<string, string> = {}): string {
  const values = { ...BASE, ...overrides };
  return Object.values(SPOTIFY_COLUMNS)
    .map((c) => values[c])
    .join(',');
}

const csv = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';

/** Everything but timing, so two ingests can be compared with toEqual. */
function comparable(result: { catalog: Catalog; report: IngestReport }) {
  const { elapsedMs: _e, songsPerSecond: _s, ...report } = result.report;
  return { report, catalog: result.catalog };
}

describe('ingestCatalogText', () => {
  it('reads a Spotify row into the catalog columns', () => {
    const { catalog, report } = ingestCatalogText(
      csv(
        row({ track_id: 'a', artists: 'Ann;Bo', track_name: '"Hello, ""World"""', explicit: 'True' }),
        row({ track_id: 'b', explicit: '0' }),
      ),
    );
    expect(report).toMatchObject({
      rowsRead: 2,
      accepted: 2,
      rejected: 0,
      duplicatesMerged: 0,
      songs: 2,
      rejections: [],
      rejectedByReason: {},
    });
    const song = catalog.song(0);
    expect(song).toMatchObject({
      id: 'a',
      name: 'Hello, "World"',
      artists: ['Ann', 'Bo'],
      album: 'Album',
      genres: ['pop'],
      popularity: 50,
      durationMs: 200000,
      explicit: true,
    });
    expect(song.features.instrumentalness).toBeCloseTo(1.01e-6, 12);
    expect(song.features.tempo).toBeCloseTo(120.5, 5);
    expect(song.features.loudness).toBeCloseTo(-7.5, 5);
    expect(catalog.song(1).explicit).toBe(false);
    expect(catalog.artistNames).toEqual(['Ann', 'Bo']);
  });

  it.each([
    ['True', true],
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['False', false],
    ['false', false],
    ['0', false],
  ])('reads explicit=%s', (value, expected) => {
    expect(ingestCatalogText(csv(row({ explicit: value }))).catalog.song(0).explicit).toBe(expected);
  });

  it('rejects each invalid row with its line number, a reason naming the field and a counted key', () => {
    const text = csv(
      row({ track_id: 'ok1' }), // line 2
      row({ track_id: 'energy', energy: '1.7' }), // 3
      row({ track_id: 'tempo0', tempo: '0' }), // 4
      row({ track_id: 'nan', tempo: 'fast' }), // 5
      row({ track_id: 'key', key: '12' }), // 6
      row({ track_id: 'keyfrac', key: '1.5' }), // 7
      row({ track_id: 'mode', mode: '2' }), // 8
      row({ track_id: 'loud', loudness: '6' }), // 9
      row({ track_id: 'dur', duration_ms: '0' }), // 10
      row({ track_id: 'pop', popularity: '101' }), // 11
      row({ track_id: 'ts', time_signature: '8' }), // 12
      row({ track_id: 'expl', explicit: 'maybe' }), // 13
      row({ track_id: '' }), // 14
      'short,row', // 15
      row({ track_id: 'multi', track_name: '"two\nlines"' }), // 16-17, accepted
      row({ track_id: 'after', valence: '-0.1' }), // 18
      row({ track_id: 'empty', danceability: '' }), // 19
      row({ track_id: 'badq', album_name: '"A"B' }), // 20
      row({ track_id: 'ok2' }), // 21
    );
    const { catalog, report } = ingestCatalogText(text);
    expect(report.rejections).toEqual([
      { line: 3, field: 'energy', reason: 'energy: 1.7 is outside [0, 1]' },
      { line: 4, field: 'tempo', reason: 'tempo: 0 must be > 0' },
      { line: 5, field: 'tempo', reason: 'tempo: fast is not a number' },
      { line: 6, field: 'key', reason: 'key: 12 is not an integer in [-1, 11]' },
      { line: 7, field: 'key', reason: 'key: 1.5 is not an integer in [-1, 11]' },
      { line: 8, field: 'mode', reason: 'mode: 2 is not 0 or 1' },
      { line: 9, field: 'loudness', reason: 'loudness: 6 is above 5 dB' },
      { line: 10, field: 'duration_ms', reason: 'duration_ms: 0 must be > 0' },
      { line: 11, field: 'popularity', reason: 'popularity: 101 is outside [0, 100]' },
      { line: 12, field: 'time_signature', reason: 'time_signature: 8 is not an integer in [0, 7]' },
      { line: 13, field: 'explicit', reason: 'explicit: maybe is not True/False/1/0' },
      { line: 14, field: 'track_id', reason: 'track_id is empty' },
      { line: 15, reason: 'expected 20 fields, found 2' },
      { line: 18, field: 'valence', reason: 'valence: -0.1 is outside [0, 1]' },
      { line: 19, field: 'danceability', reason: 'danceability: empty value is not a number' },
      { line: 20, field: 'album_name', reason: 'album_name: text after the closing quote' },
    ]);
    expect(report.rejectedByReason).toEqual({
      'out-of-range:energy': 1,
      'out-of-range:tempo': 1,
      'not-a-number:tempo': 1,
      'out-of-range:key': 2,
      'out-of-range:mode': 1,
      'out-of-range:loudness': 1,
      'out-of-range:duration_ms': 1,
      'out-of-range:popularity': 1,
      'out-of-range:time_signature': 1,
      'not-a-boolean:explicit': 1,
      'missing-id': 1,
      'field-count': 1,
      'out-of-range:valence': 1,
      'not-a-number:danceability': 1,
      'bad-quote': 1,
    });
    expect(report).toMatchObject({ rowsRead: 19, accepted: 3, rejected: 16, songs: 3 });
    expect(catalog.ids).toEqual(['ok1', 'multi', 'ok2']);
    expect(catalog.names[1]).toBe('two\nlines');
  });

  it('accepts the boundary values of every range', () => {
    const edges = [
      row({
        track_id: 'lo',
        danceability: '0',
        energy: '0',
        key: '-1',
        mode: '0',
        loudness: '-60',
        popularity: '0',
        time_signature: '0',
        tempo: '0.001',
        duration_ms: '1',
      }),
      row({
        track_id: 'hi',
        danceability: '1',
        energy: '1.0',
        key: '11',
        mode: '1',
        loudness: '5',
        popularity: '100',
        time_signature: '7',
      }),
    ];
    expect(ingestCatalogText(csv(...edges)).report).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('rejects an unterminated quote without swallowing the rest of the file', () => {
    const { catalog, report } = ingestCatalogText(
      csv(
        row({ track_id: 'a' }),
        row({ track_id: 'b', track_name: '"never closed' }),
        row({ track_id: 'c' }),
        row({ track_id: 'd' }),
      ),
    );
    expect(report.rejections).toEqual([
      { line: 3, reason: 'a quoted field opened on this line is never closed; the line was skipped' },
    ]);
    expect(report.rejectedByReason).toEqual({ 'unterminated-quote': 1 });
    expect(catalog.ids).toEqual(['a', 'c', 'd']);
    expect(report.rowsRead).toBe(4);
  });

  it('reads CRLF files and skips blank lines', () => {
    const text = [
      HEADER,
      row({ track_id: 'a', track_name: '"x\r\ny"' }),
      '',
      row({ track_id: 'b', energy: '9' }),
      '',
    ].join('\r\n');
    const { catalog, report } = ingestCatalogText(text);
    expect(catalog.ids).toEqual(['a']);
    expect(catalog.genresOf(0)).toEqual(['pop']);
    expect(report.rejections).toEqual([{ line: 5, field: 'energy', reason: 'energy: 9 is outside [0, 1]' }]);
    expect(report.rowsRead).toBe(2);
  });

  it('names every missing required column and shows the header it found', () => {
    const header = HEADER.replace('tempo,', '').replace('track_id,', '');
    expect(() => ingestCatalogText(header + '\n')).toThrow(
      `CSV is missing required column(s) "track_id" (id), "tempo"; header found: ${header
        .split(',')
        .map((h) => `"${h}"`)
        .join(',')}`,
    );
    expect(() => ingestCatalogText('')).toThrow('CSV is empty: no header line');
  });

  it('maps differently named columns and fills absent optional ones with defaults', () => {
    const text = [
      'id,title,artist_names,genres,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,bpm',
      's1,First,X|Y,rock;indie,0.1,0.2,3,-5,1,0.1,0.2,0.3,0.4,0.5,99',
    ].join('\n');
    const { catalog, report } = ingestCatalogText(text, {
      columns: { id: 'id', name: 'title', artists: 'artist_names', genre: 'genres', tempo: 'bpm' },
      artistSeparator: '|',
    });
    expect(report.rejected).toBe(0);
    expect(catalog.song(0)).toMatchObject({
      id: 's1',
      name: 'First',
      artists: ['X', 'Y'],
      genres: ['rock', 'indie'],
      album: '',
      popularity: 0,
      durationMs: 0,
      explicit: false,
    });
    expect(catalog.song(0).features.timeSignature).toBe(4);
    expect(catalog.song(0).features.tempo).toBe(99);
  });

  it('insists on a column that was mapped explicitly, and on known mapping keys', () => {
    expect(() => ingestCatalogText(csv(row()), { columns: { popularity: 'plays' } })).toThrow('"plays" (popularity)');
    expect(() => ingestCatalogText(csv(row()), { columns: { tempoo: 'x' } as never })).toThrow(
      'Unknown column mapping key "tempoo"',
    );
  });

  it('merges repeated ids: union of genres in first-seen order, other fields from the first row', () => {
    const { catalog, report } = ingestCatalogText(
      csv(
        row({ track_id: 'a', track_genre: 'rock', popularity: '10' }),
        row({ track_id: 'b', track_genre: 'pop' }),
        row({ track_id: 'a', track_genre: 'indie', popularity: '90' }),
        row({ track_id: 'a', track_genre: 'rock' }),
        row({ track_id: 'b', track_genre: 'jazz', energy: '7' }), // rejected: not merged
        row({ track_id: 'c', track_genre: 'pop' }),
        row({ track_id: 'a', track_genre: 'jazz' }),
      ),
    );
    expect(report).toMatchObject({ rowsRead: 7, accepted: 6, rejected: 1, duplicatesMerged: 3, songs: 3 });
    expect(catalog.ids).toEqual(['a', 'b', 'c']);
    expect(catalog.genresOf(0)).toEqual(['rock', 'indie', 'jazz']);
    expect(catalog.genresOf(1)).toEqual(['pop']);
    expect(catalog.popularity[0]).toBe(10);
    // Vocabulary numbered by first use over the final songs, as CatalogBuilder numbers it.
    expect(catalog.genreNames).toEqual(['rock', 'indie', 'jazz', 'pop']);
    expect(Catalog.fromSongs([0, 1, 2].map((i) => catalog.song(i)))).toEqual(catalog);
  });

  it('lists at most maxRejectionsListed rejections but counts them all', () => {
    const rows = Array.from({ length: 5 }, (_, i) => row({ track_id: `r${i}`, energy: '2' }));
    const { report } = ingestCatalogText(csv(...rows), { maxRejectionsListed: 2 });
    expect(report.rejected).toBe(5);
    expect(report.rejectedByReason).toEqual({ 'out-of-range:energy': 5 });
    expect(report.rejections.map((r) => r.line)).toEqual([2, 3]);
  });
});

/** Quoted line breaks, CRLF, blank lines, a duplicate, a bad row and an unterminated quote near the end. */
const TRICKY = csv(
  row({ track_id: 'a', track_name: '"line\nbreak, and ""quotes"""', track_genre: 'rock' }),
  row({ track_id: 'b', album_name: '"x\n\n\ny"' }),
  '',
  row({ track_id: 'c', energy: '3' }) + '\r',
  row({ track_id: 'a', track_genre: 'indie' }),
  row({ track_id: 'd', artists: '"P;Q"', track_name: '12" single' }),
  'x,y',
  row({ track_id: 'e', track_name: '"\n"' }),
  row({ track_id: '"q""id"', album_name: '"The ""Best"""', track_genre: 'rock' }),
  row({ track_id: 'q"id', track_genre: 'soul' }), // the same id written without quotes: merged
  row({ track_id: 'f' }),
  row({ track_id: 'g', track_name: '"unterminated' }),
  row({ track_id: 'h', track_genre: 'jazz' }),
);

describe('ingestCatalog (streamed)', () => {
  it.each([1, 2, 3, 7, 64, 100000])(
    'equals ingestCatalogText when the text arrives in pieces of %i chars',
    async (size) => {
      const pieces: string[] = [];
      for (let p = 0; p < TRICKY.length; p += size) pieces.push(TRICKY.slice(p, p + size));
      async function* stream() {
        yield* pieces;
      }
      expect(comparable(await ingestCatalog(stream()))).toEqual(comparable(ingestCatalogText(TRICKY)));
    },
  );

  it('recovers after an unterminated quote in a stream', async () => {
    const { report, catalog } = await ingestCatalog([TRICKY]);
    expect(catalog.ids).toEqual(['a', 'b', 'd', 'e', 'q"id', 'f', 'h']);
    expect(catalog.song(4)).toMatchObject({ album: 'The "Best"', genres: ['rock', 'soul'] });
    expect(catalog.song(2)).toMatchObject({ name: '12" single', artists: ['P', 'Q'] });
    expect(report.duplicatesMerged).toBe(2);
    expect(report.rejectedByReason).toEqual({ 'out-of-range:energy': 1, 'field-count': 1, 'unterminated-quote': 1 });
    expect(report.rejections.map((r) => r.line)).toEqual([9, 12, 18]);
  });
});

describe('parallel ingest (split, parse parts, merge)', () => {
  const layout = resolveColumnLayout(readCsvHeader(TRICKY).columns);

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('gives the single-threaded result with %i parts', (parts) => {
    const chunks = splitCsvAtRecordBoundaries(TRICKY, parts);
    expect(chunks.map((c) => c.text).join('')).toBe(TRICKY);
    const merged = mergeIngestParts(chunks.map((c) => parseIngestChunk(c, layout)));
    expect(comparable(merged)).toEqual(comparable(ingestCatalogText(TRICKY)));
  });

  it('cuts only at record starts, never inside a quoted line break, and numbers lines globally', () => {
    const text = csv(
      ...Array.from({ length: 30 }, (_, i) => row({ track_id: `s${i}`, track_name: `"a\n${',\n'.repeat(i % 4)}b"` })),
    );
    for (let parts = 2; parts <= 30; parts++) {
      let offset = 0;
      for (const [i, chunk] of splitCsvAtRecordBoundaries(text, parts).entries()) {
        expect(chunk.headerIncluded).toBe(i === 0);
        expect(chunk.firstLine).toBe(text.slice(0, offset).split('\n').length);
        if (i > 0) expect(chunk.text).toMatch(/^s\d+,Ann,/);
        offset += chunk.text.length;
      }
    }
  });

  it('returns the whole text as one chunk for one part or a header-only file', () => {
    expect(splitCsvAtRecordBoundaries(TRICKY, 1)).toEqual([{ text: TRICKY, firstLine: 1, headerIncluded: true }]);
    expect(splitCsvAtRecordBoundaries(HEADER + '\n', 4)).toEqual([
      { text: HEADER + '\n', firstLine: 1, headerIncluded: true },
    ]);
  });
});

describe('packStrings', () => {
  it('round-trips a list, including empty strings', () => {
    const list = ['a', '', 'Beyoncé', 'x;y', ''];
    const packed = packStrings(list);
    expect(packed.text).toBe('aBeyoncéx;y');
    expect(Array.from(packed.ends)).toEqual([1, 1, 8, 11, 11]);
    expect(unpackStrings(packed)).toEqual(list);
  });
});
