import {
  DATASET_PRESETS,
  DatasetParseError,
  datasetPreset,
  detectDelimiter,
  formatInteractionsCsv,
  parseInteractionsCsv,
  parseLastfmUserArtists,
  parseMovieLens100k,
  parseTimestamp,
  type Interaction,
} from '../index';

function errorOf(fn: () => unknown): DatasetParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetParseError) return e;
    throw e;
  }
  throw new Error('expected a DatasetParseError');
}

describe('parseMovieLens100k', () => {
  const udata = '196\t242\t3\t881250949\r\n186\t302\t3\t891717742\n\n22\t377\t1\t878887116\n';

  it('reads every rating, rating as weight, seconds → ms, skipping blank lines and CRLF', () => {
    expect(parseMovieLens100k(udata)).toEqual([
      { userId: '196', itemId: '242', weight: 3, timestamp: 881250949000 },
      { userId: '186', itemId: '302', weight: 3, timestamp: 891717742000 },
      { userId: '22', itemId: '377', weight: 1, timestamp: 878887116000 },
    ]);
  });

  it('can give every rating weight 1', () => {
    expect(parseMovieLens100k(udata, { binary: true }).map((r) => r.weight)).toEqual([1, 1, 1]);
  });

  it('names the line of a malformed row', () => {
    const e = errorOf(() => parseMovieLens100k('1\t2\t3\t4\n1\t2\t3\n'));
    expect(e.line).toBe(2);
    expect(e.message).toBe('u.data line 2: expected 4 tab-separated fields (user, item, rating, timestamp), got 3');
    expect(() => parseMovieLens100k('1\t2\tfive\t4\n')).toThrow('u.data line 1: rating "five" is not a number');
    expect(() => parseMovieLens100k('1\t2\t5\t-4\n')).toThrow(
      /line 1: timestamp "-4" is not a non-negative whole number/,
    );
    expect(() => parseMovieLens100k('\t2\t5\t4\n')).toThrow('u.data line 1: empty user or item id');
  });
});

describe('parseLastfmUserArtists', () => {
  it('reads play counts as weights after the header', () => {
    const text = 'userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n';
    expect(parseLastfmUserArtists(text)).toEqual([
      { userId: '2', itemId: '51', weight: 13883 },
      { userId: '2', itemId: '52', weight: 11690 },
    ]);
    expect(parseLastfmUserArtists(text, { binary: true }).map((r) => r.weight)).toEqual([1, 1]);
  });

  it('requires the header and well-formed rows', () => {
    expect(() => parseLastfmUserArtists('2\t51\t13883\n')).toThrow(
      'user_artists.dat line 1: expected the header "userID\\tartistID\\tweight", got "2\t51\t13883"',
    );
    expect(() => parseLastfmUserArtists('')).toThrow(/line 1: empty file/);
    expect(() => parseLastfmUserArtists('userID\tartistID\tweight\n2\t51\n')).toThrow(
      'user_artists.dat line 2: expected 3 tab-separated fields (userID, artistID, weight), got 2',
    );
    expect(() => parseLastfmUserArtists('userID\tartistID\tweight\n2\t51\t-1\n')).toThrow(
      /line 2: weight -1 is negative/,
    );
  });
});

describe('parseTimestamp', () => {
  it('reads epoch seconds, epoch milliseconds and ISO-8601 as epoch ms', () => {
    expect(parseTimestamp('881250949')).toBe(881250949000);
    expect(parseTimestamp('1700000000123')).toBe(1700000000123);
    expect(parseTimestamp('1700000000', 'ms')).toBe(1700000000);
    expect(parseTimestamp('99999999999999', 's')).toBe(99999999999999000);
    expect(parseTimestamp('2023-11-14T22:13:20Z')).toBe(1700000000000);
    expect(parseTimestamp('2023-11-14T22:13:20.5+00:00')).toBe(1700000000500);
    expect(parseTimestamp('2023-11-15T00:13:20+0200')).toBe(1700000000000);
    // No zone: read as UTC, never as the machine's local time.
    expect(parseTimestamp('2023-11-14 22:13:20')).toBe(1700000000000);
    expect(parseTimestamp('2023-11-14')).toBe(Date.UTC(2023, 10, 14));
    expect(parseTimestamp('')).toBeNull();
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp('14/11/2023')).toBeNull();
  });
});

describe('parseInteractionsCsv', () => {
  it('reads a comma file with all columns, in any order, with quoted fields', () => {
    const text =
      'event,timestamp,item_id,user_id,weight\n' +
      'play,1700000000,"track, live",u1,2.5\n' +
      'like,2023-11-14T22:13:20Z,"say ""hi""",u2,\n' +
      ',,t3,u3,1\n';
    expect(parseInteractionsCsv(text)).toEqual([
      { userId: 'u1', itemId: 'track, live', weight: 2.5, event: 'play', timestamp: 1700000000000 },
      { userId: 'u2', itemId: 'say "hi"', event: 'like', timestamp: 1700000000000 },
      { userId: 'u3', itemId: 't3', weight: 1 },
    ]);
  });

  it('detects tabs and accepts only the required columns', () => {
    expect(parseInteractionsCsv('user_id\titem_id\r\nu1\ti1\r\n')).toEqual([{ userId: 'u1', itemId: 'i1' }]);
    expect(detectDelimiter('a\tb,c\td\n1,2,3\n')).toBe('\t');
    expect(detectDelimiter('a,b\n')).toBe(',');
  });

  it('maps custom column names, case-insensitively', () => {
    const text = 'Listener;Song\n'.replace(';', ',') + 'u1,s1\n';
    expect(parseInteractionsCsv(text, { columns: { userId: 'listener', itemId: 'SONG' } })).toEqual([
      { userId: 'u1', itemId: 's1' },
    ]);
  });

  it('gives weight 1 to every row when binary', () => {
    const rows = parseInteractionsCsv('user_id,item_id,weight\nu,a,5\nu,b,\n', { binary: true });
    expect(rows.map((r) => r.weight)).toEqual([1, 1]);
  });

  it('reports errors with the line number', () => {
    expect(() => parseInteractionsCsv('')).toThrow('interactions line 1: empty file: expected a header line');
    expect(() => parseInteractionsCsv('user,item_id\nu,i\n')).toThrow(
      'interactions line 1: missing column "user_id" (header: user, item_id)',
    );
    expect(() => parseInteractionsCsv('user_id,item_id\nu,i\n', { columns: { weight: 'plays' } })).toThrow(
      /missing column "plays"/,
    );
    expect(() => parseInteractionsCsv('user_id,item_id\nu,i\nu\n', { source: 'feedback.csv' })).toThrow(
      'feedback.csv line 3: expected 2 fields as in the header, got 1',
    );
    expect(() => parseInteractionsCsv('user_id,item_id,weight\nu,i,x\n')).toThrow('line 2: weight "x" is not a number');
    expect(() => parseInteractionsCsv('user_id,item_id,timestamp\nu,i,soon\n')).toThrow(
      'interactions line 2: timestamp "soon" is neither epoch seconds/milliseconds nor ISO-8601',
    );
    expect(() => parseInteractionsCsv('user_id,item_id\n,i\n')).toThrow('interactions line 2: empty user_id');
    expect(() => parseInteractionsCsv('user_id,item_id\nu,"i\n')).toThrow(
      'interactions line 2: unterminated quoted field',
    );
    expect(() => parseInteractionsCsv('user_id,item_id\nu,"i"x\n')).toThrow(
      /line 2: unexpected character after a closing quote/,
    );
  });

  it('counts lines inside multi-line quoted fields', () => {
    const text = 'user_id,item_id\nu,"two\nlines"\nu,\n';
    expect(errorOf(() => parseInteractionsCsv(text)).line).toBe(4);
  });
});

describe('formatInteractionsCsv', () => {
  const rows: Interaction[] = [
    { userId: 'u1', itemId: 'a,b', weight: 2, event: 'play', timestamp: 1700000000000 },
    { userId: 'u"2', itemId: 'c' },
  ];

  it('writes the header for the columns present, quoting when needed', () => {
    expect(formatInteractionsCsv(rows)).toBe(
      'user_id,item_id,weight,event,timestamp\nu1,"a,b",2,play,2023-11-14T22:13:20.000Z\n"u""2",c,,,\n',
    );
    expect(formatInteractionsCsv([{ userId: 'u', itemId: 'i' }], { delimiter: '\t' })).toBe('user_id\titem_id\nu\ti\n');
  });

  it('round-trips through parseInteractionsCsv', () => {
    expect(parseInteractionsCsv(formatInteractionsCsv(rows))).toEqual(rows);
    const ml = parseMovieLens100k('196\t242\t3\t881250949\n');
    expect(parseInteractionsCsv(formatInteractionsCsv(ml, { delimiter: '\t' }))).toEqual(ml);
  });
});

describe('dataset presets', () => {
  it('lists the three presets and parses through them', () => {
    expect(DATASET_PRESETS.map((p) => p.name)).toEqual(['movielens-100k', 'lastfm-2k', 'interactions-csv']);
    expect(datasetPreset('movielens-100k').parse('1\t2\t3\t4\n')).toHaveLength(1);
    expect(datasetPreset('lastfm-2k').parse('userID\tartistID\tweight\n1\t2\t3\n', { binary: true })).toEqual([
      { userId: '1', itemId: '2', weight: 1 },
    ]);
    expect(datasetPreset('interactions-csv').parse('user_id,item_id\nu,i\n')).toEqual([{ userId: 'u', itemId: 'i' }]);
    expect(() => datasetPreset('netflix')).toThrow(
      'unknown dataset "netflix"; expected one of movielens-100k, lastfm-2k, interactions-csv',
    );
  });
});
