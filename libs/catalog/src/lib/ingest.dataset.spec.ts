import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Catalog } from './catalog';
import {
  ingestCatalog,
  ingestCatalogText,
  mergeIngestParts,
  parseIngestChunk,
  readCsvHeader,
  resolveColumnLayout,
  splitCsvAtRecordBoundaries,
} from './ingest';

// The shared Kaggle file (see shared/data/README.md). CI always has it, so a missing file fails.
const DATASET = resolve(__dirname, '../../../../../shared/data/spotify-tracks-114k/dataset.csv');

/** Compares two catalogs column by column (typed arrays bytewise; jest's deep equality is too slow at 90K songs). */
function expectSameCatalog(a: Catalog, b: Catalog): void {
  for (const key of ['ids', 'names', 'albums', 'artistNames', 'genreNames'] as const)
    expect(a[key].join('\u0000')).toBe(b[key].join('\u0000'));
  const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  for (const key of [
    'artistOffsets',
    'artistIds',
    'genreOffsets',
    'genreIds',
    'popularity',
    'durationMs',
    'explicit',
  ] as const) {
    expect(bytes(a[key]).equals(bytes(b[key]))).toBe(true);
  }
  for (const f of Object.keys(a.audio) as (keyof Catalog['audio'])[])
    expect(bytes(a.audio[f]).equals(bytes(b.audio[f]))).toBe(true);
}

describe('ingest of the shared Spotify 114K catalog', () => {
  const text = readFileSync(DATASET, 'utf8');
  const single = ingestCatalogText(text);

  it('reads every row, rejects the rows without audio analysis and merges genre duplicates', () => {
    const { catalog, report } = single;
    // Independent count: ids are the first field and never quoted in this file.
    const lines = text.split('\n').slice(1, -1);
    const uniqueIds = new Set(lines.map((l) => l.slice(0, l.indexOf(','))));
    expect(lines).toHaveLength(114000);
    expect(uniqueIds.size).toBe(89741);

    expect(report.rowsRead).toBe(114000);
    // 157 rows carry tempo 0 (with time_signature 0 and danceability 0: Spotify had no analysis),
    // and row 65,900 of the data (line 65,902) has empty names and duration 0.
    expect(report.rejectedByReason).toEqual({ 'out-of-range:tempo': 157, 'out-of-range:duration_ms': 1 });
    expect(report.rejected).toBe(158);
    expect(report.rejections).toHaveLength(158);
    expect(report.rejections.find((r) => r.field === 'duration_ms')).toEqual({
      line: 65902,
      field: 'duration_ms',
      reason: 'duration_ms: 0 must be > 0',
    });
    expect(report.accepted).toBe(113842);
    // Each rejected id occurs once in the file, so no song disappears through a rejected duplicate.
    expect(report.songs).toBe(89741 - 158);
    expect(report.duplicatesMerged).toBe(report.accepted - report.songs);
    expect(catalog.size).toBe(report.songs);
    expect(catalog.genreNames).toHaveLength(114);
    expect(catalog.genreOffsets[catalog.size]).toBeGreaterThan(catalog.size);
  });

  it('keeps the first row of a song and gathers its genres', () => {
    const { catalog } = single;
    const first = catalog.song(0);
    expect(first).toMatchObject({
      id: '5SuOikwiRyPMVoIQDJUgSV',
      name: 'Comedy',
      artists: ['Gen Hoshino'],
      album: 'Comedy',
      popularity: 73,
      durationMs: 230666,
      explicit: false,
    });
    expect(first.features.danceability).toBeCloseTo(0.676, 6);
    expect(first.features.instrumentalness).toBeCloseTo(1.01e-6, 12);
    const genreLists = new Map<string, string[]>();
    for (const l of text.split('\n').slice(1, -1)) {
      const id = l.slice(0, l.indexOf(','));
      const genre = l.slice(l.lastIndexOf(',') + 1);
      const list = genreLists.get(id) ?? [];
      if (!list.includes(genre)) list.push(genre);
      genreLists.set(id, list);
    }
    for (let i = 0; i < catalog.size; i += 997) expect(catalog.genresOf(i)).toEqual(genreLists.get(catalog.ids[i]));
  });

  it.each([2, 3, 4, 7])('gives the identical catalog and report when split into %i parts', (parts) => {
    const layout = resolveColumnLayout(readCsvHeader(text).columns);
    const merged = mergeIngestParts(splitCsvAtRecordBoundaries(text, parts).map((c) => parseIngestChunk(c, layout)));
    expectSameCatalog(merged.catalog, single.catalog);
    const { elapsedMs: _a, songsPerSecond: _b, ...mergedReport } = merged.report;
    const { elapsedMs: _c, songsPerSecond: _d, ...singleReport } = single.report;
    expect(mergedReport).toEqual(singleReport);
  });

  it('gives the identical result when streamed in 64 KiB pieces', async () => {
    const pieces: string[] = [];
    for (let p = 0; p < text.length; p += 65536) pieces.push(text.slice(p, p + 65536));
    const streamed = await ingestCatalog(pieces);
    expectSameCatalog(streamed.catalog, single.catalog);
    expect(streamed.report.rejections).toEqual(single.report.rejections);
  });
});
