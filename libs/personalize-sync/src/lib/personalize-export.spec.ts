import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Catalog, ingestCatalogText, type Song } from '@encore/catalog';
import type { Interaction } from '@encore/datasets';
import { DEMO_SIMULATION, simulateListeners } from '@encore/simulator';
import { Type } from 'avsc';
import { collectText, recordsFromCsv } from '../testing';
import { categoricalCell, csvField, floatField, idProblem } from './personalize-csv';
import { PersonalizeExport } from './personalize-export';
import {
  INTERACTIONS_SCHEMA,
  ITEMS_SCHEMA,
  type PersonalizeSchema,
  SCHEMAS,
  USERS_SCHEMA,
} from './personalize-schemas';

const SAMPLE_CATALOG = resolve(__dirname, '../../../../data/sample/catalog.csv');

function song(id: string, artists: string[], genres: string[], explicit = false): Song {
  return {
    id,
    name: `Song ${id}`,
    artists,
    album: 'Album',
    genres,
    popularity: 50,
    durationMs: 200000,
    explicit,
    features: {
      danceability: 0.5,
      energy: 0.6,
      key: 5,
      loudness: -7.5,
      mode: 1,
      speechiness: 0.05,
      acousticness: 0.2,
      instrumentalness: 1.01e-6,
      liveness: 0.1,
      valence: 0.7,
      tempo: 120.5,
      timeSignature: 4,
    },
  };
}

// Three songs with the awkward values: a comma and quotes, a '|' inside a name, a line break, no genre.
const CATALOG = Catalog.fromSongs([
  song('s1', ['Ann', 'Bo, "the" Band'], ['rock', 'indie']),
  song('s2', ['Cy|Di'], ['jazz'], true),
  song('s3', ['Ed\nNewline'], []),
]);

const ROWS: Interaction[] = [
  { userId: 'u1', itemId: 's1', event: 'play', weight: 1, timestamp: 1_700_000_000_123 },
  { userId: 'u1', itemId: 's2', event: 'like', weight: 4, timestamp: 1_700_000_060_000 },
  { userId: 'u1', itemId: 's3', event: 'skip', weight: -1, timestamp: 1_700_000_070_000 }, // negative: left out
  { userId: 'u2', itemId: 's1', timestamp: 1_700_000_120_999 }, // no event, no weight
  { userId: 'u2', itemId: 's2', event: 'dislike', timestamp: 1_700_000_130_000 }, // left out
  { userId: 'u2', itemId: 's9', event: 'play', weight: 1 }, // unknown song, no timestamp
  { userId: 'x'.repeat(257), itemId: 's1', event: 'play', weight: 1, timestamp: 1_700_000_150_000 }, // id too long
  { userId: 'u3', itemId: 's1', event: 'like', timestamp: 1_700_000_180_000 }, // like's default weight 4
  { userId: 'u,4', itemId: 's1', event: 'play', weight: 2.5, timestamp: 1_700_000_240_000 },
];

const EXPORTED_AT = 1_750_000_000_000;

async function exportAll(catalog: Catalog, rows: Iterable<Interaction>, rowsPerChunk?: number) {
  const exporter = new PersonalizeExport(catalog, { fallbackTimestamp: EXPORTED_AT, rowsPerChunk });
  const interactions = await collectText(exporter.interactionsCsv(rows));
  const items = await collectText(exporter.itemsCsv());
  const users = await collectText(exporter.usersCsv());
  return { interactions, items, users, report: exporter.report() };
}

/** Every row of `csv` read back against `schema` and validated by avsc; returns the records. */
function expectValidAgainst(csv: string, schema: PersonalizeSchema): Record<string, unknown>[] {
  // Through JSON, as written to the .schema.json file and sent to CreateSchema.
  const type = Type.forSchema(JSON.parse(JSON.stringify(schema)));
  const { header, records, problems } = recordsFromCsv(csv, schema);
  expect(problems).toEqual([]);
  expect(header).toEqual(schema.fields.map((f) => f.name));
  const invalid: string[] = [];
  for (const [i, record] of records.entries()) {
    type.isValid(record, {
      errorHook: (path, value) => invalid.push(`row ${i + 2} ${path.join('.')}: ${JSON.stringify(value)}`),
    });
  }
  expect(invalid).toEqual([]);
  // Personalize wants each record on one physical line: rows = lines.
  expect(csv.endsWith('\n')).toBe(true);
  expect(csv.split('\n').length - 2).toBe(records.length);
  return records;
}

describe('PersonalizeExport', () => {
  it('writes interactions in Personalize form: epoch seconds, positive events only, quoted ids', async () => {
    const { interactions } = await exportAll(CATALOG, ROWS);
    expect(interactions).toBe(
      [
        'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
        'u1,s1,1700000000,play,1',
        'u1,s2,1700000060,like,4',
        'u2,s1,1700000120,interaction,1',
        'u2,s9,1750000000,play,1',
        'u3,s1,1700000180,like,4',
        '"u,4",s1,1700000240,play,2.5',
        '',
      ].join('\n'),
    );
    expectValidAgainst(interactions, INTERACTIONS_SCHEMA);
  });

  it('writes items with categorical genres and artists and the audio features', async () => {
    const { items } = await exportAll(CATALOG, ROWS);
    const lines = items.split('\n');
    expect(lines[0]).toBe(
      'ITEM_ID,GENRES,ARTISTS,EXPLICIT,POPULARITY,DURATION_MS,DANCEABILITY,ENERGY,KEY,LOUDNESS,MODE,' +
        'SPEECHINESS,ACOUSTICNESS,INSTRUMENTALNESS,LIVENESS,VALENCE,TEMPO,TIME_SIGNATURE',
    );
    const numbers = '50,200000,0.5,0.6,5,-7.5,1,0.05,0.2,0.00000101,0.1,0.7,120.5,4';
    expect(lines.slice(1)).toEqual([
      `s1,rock|indie,"Ann|Bo, ""the"" Band",false,${numbers}`,
      `s2,jazz,Cy/Di,true,${numbers}`,
      `s3,,Ed Newline,false,${numbers}`,
      '',
    ]);
    const records = expectValidAgainst(items, ITEMS_SCHEMA);
    expect(records[0]).toMatchObject({
      ARTISTS: 'Ann|Bo, "the" Band',
      DANCEABILITY: 0.5,
      INSTRUMENTALNESS: 0.00000101,
    });
    expect(records[2]).toMatchObject({ GENRES: null });
  });

  it('gives each user their most-played genres, ties in catalog order', async () => {
    const { users } = await exportAll(CATALOG, ROWS);
    expect(users).toBe(
      ['USER_ID,TOP_GENRES', 'u1,jazz|rock|indie', 'u2,rock|indie', 'u3,rock|indie', '"u,4",rock|indie', ''].join('\n'),
    );
    expectValidAgainst(users, USERS_SCHEMA);
  });

  it('reports what it left out and which Personalize minimums the data misses', async () => {
    const { report } = await exportAll(CATALOG, ROWS);
    expect(report.interactions).toEqual({
      rows: 6,
      users: 4,
      items: 3,
      eventTypes: { play: 3, like: 2, interaction: 1 },
      firstTimestamp: 1_700_000_000,
      lastTimestamp: 1_750_000_000,
      usersWithTwoOrMore: 2,
      itemsNotInCatalog: 1,
      timestampsFilled: 1,
      negativeSkipped: 2,
      invalidIdSkipped: 1,
    });
    expect(report.items).toEqual({ rows: 3, withoutGenres: 1, invalidIdSkipped: 0, categoricalTruncated: 0 });
    expect(report.users).toEqual({ rows: 4, withTopGenres: 4 });
    expect(report.warnings).toEqual([
      'only 6 interactions: Personalize needs at least 1,000 to train a solution version',
      'only 2 users with 2 or more interactions: Personalize needs at least 25',
      '1 interactions left out: empty ids, ids over 256 characters or with line breaks',
      '1 interactions had no timestamp and were stamped with the export time',
      '1 interactions name songs missing from the catalog: imported without metadata',
    ]);
  });

  it('warns when too few users have two interactions and when event types exceed the limit', async () => {
    const rows: Interaction[] = [];
    for (let u = 0; u < 200; u++) rows.push({ userId: `u${u}`, itemId: 's1', event: `e${u % 9}`, timestamp: 1e12 });
    rows.push({ userId: 'u0', itemId: 's2', event: 'e0', timestamp: 1e12 });
    const { report } = await exportAll(CATALOG, rows);
    expect(report.warnings).toContain('only 1 of 200 users have 2 or more interactions: Personalize needs at least 1%');
    expect(report.warnings).toContain(
      "9 event types plus EVENT_TYPE and EVENT_VALUE exceed Personalize's limit of 10; the import will fail",
    );
  });

  it('yields the same text in many chunks as in one, and reads async iterables', async () => {
    async function* rows() {
      yield* ROWS;
    }
    const chunked = new PersonalizeExport(CATALOG, { fallbackTimestamp: EXPORTED_AT, rowsPerChunk: 2 });
    const chunks: string[] = [];
    for await (const chunk of chunked.interactionsCsv(rows())) chunks.push(chunk);
    expect(chunks.length).toBe(3); // header + 2 rows, 2 rows, 2 rows
    expect(chunks.join('')).toBe((await exportAll(CATALOG, ROWS)).interactions);
  });

  it('refuses to write users before the interactions were read, and to read interactions twice', async () => {
    const exporter = new PersonalizeExport(CATALOG);
    await expect(collectText(exporter.usersCsv())).rejects.toThrow(
      'usersCsv needs interactionsCsv to be consumed first',
    );
    await collectText(exporter.interactionsCsv(ROWS));
    await expect(collectText(exporter.interactionsCsv(ROWS))).rejects.toThrow('already consumed');
  });

  it('exports the sample catalog and the demo listeners with every row valid against its schema', async () => {
    const { catalog } = ingestCatalogText(readFileSync(SAMPLE_CATALOG, 'utf8'));
    const { events } = simulateListeners(catalog, DEMO_SIMULATION);
    const { interactions, items, users, report } = await exportAll(catalog, events);
    expectValidAgainst(interactions, INTERACTIONS_SCHEMA);
    const itemRecords = expectValidAgainst(items, ITEMS_SCHEMA);
    expectValidAgainst(users, USERS_SCHEMA);
    expect(itemRecords).toHaveLength(catalog.size);
    const positive = events.filter((e) => e.weight > 0).length;
    expect(report.interactions.rows).toBe(positive);
    expect(report.interactions.negativeSkipped).toBe(events.length - positive);
    expect(report.interactions.eventTypes).toEqual({
      play: expect.any(Number),
      like: expect.any(Number),
    });
    expect(report.users.rows).toBe(DEMO_SIMULATION.users);
    expect(report.warnings).toEqual([]);
  }, 60_000);
});

describe('the Avro schemas', () => {
  it.each(Object.entries(SCHEMAS))('%s is a valid Avro record in the Personalize namespace', (type, schema) => {
    expect(() => Type.forSchema(JSON.parse(JSON.stringify(schema)))).not.toThrow();
    expect(schema).toMatchObject({ type: 'record', namespace: 'com.amazonaws.personalize.schema', version: '1.0' });
    expect(schema.name.toUpperCase()).toBe(type);
    // Categorical is only meaningful (and only allowed) on string fields.
    for (const f of schema.fields) {
      if (f.categorical) expect([f.type].flat()).toContain('string');
    }
  });

  it('marks the string metadata Personalize should train on as categorical', () => {
    const categorical = (s: PersonalizeSchema) => s.fields.filter((f) => f.categorical).map((f) => f.name);
    expect(categorical(ITEMS_SCHEMA)).toEqual(['GENRES', 'ARTISTS', 'EXPLICIT']);
    expect(categorical(USERS_SCHEMA)).toEqual(['TOP_GENRES']);
    // EVENT_TYPE is reserved: Personalize rejects it as categorical.
    expect(categorical(INTERACTIONS_SCHEMA)).toEqual([]);
  });

  it('rejects a row that does not match (the validation used above can fail)', () => {
    const type = Type.forSchema(JSON.parse(JSON.stringify(INTERACTIONS_SCHEMA)));
    const { records } = recordsFromCsv(
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,s1,12.5,play,x\n',
      INTERACTIONS_SCHEMA,
    );
    expect(type.isValid(records[0])).toBe(false);
  });
});

describe('CSV cells', () => {
  it('quotes fields holding commas, quotes or line breaks, and only those', () => {
    expect(csvField('plain id')).toBe('plain id');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('keeps categorical cells within 1000 characters by leaving values off the end', () => {
    const values = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')}-${'g'.repeat(40)}`);
    const { cell, truncated } = categoricalCell(values);
    expect(truncated).toBe(true);
    expect(cell.length).toBeLessThanOrEqual(1000);
    // 22 values of 43 characters and 21 separators make 967; a 23rd would make 1011.
    expect(cell.split('|')).toEqual(values.slice(0, 22));
  });

  it('drops blank and repeated values and cuts a single overlong one', () => {
    expect(categoricalCell(['a', ' ', 'a', 'b'])).toEqual({ cell: 'a|b', truncated: false });
    expect(categoricalCell(['x'.repeat(1200)])).toEqual({ cell: 'x'.repeat(1000), truncated: true });
  });

  it('prints Float32 values with the digits the source had', () => {
    expect(floatField(Math.fround(0.676))).toBe('0.676');
    expect(floatField(Math.fround(87.917))).toBe('87.917');
    expect(floatField(-7)).toBe('-7');
  });

  it('names the id problems Personalize rejects', () => {
    expect(idProblem('')).toBe('empty id');
    expect(idProblem('x'.repeat(256))).toBeNull();
    expect(idProblem('x'.repeat(257))).toBe('id longer than 256 characters');
    expect(idProblem('a\nb')).toBe('id with a line break');
  });
});
