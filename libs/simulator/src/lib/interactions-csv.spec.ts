import { type InteractionEvent } from './interaction-event';
import {
  INTERACTIONS_CSV_HEADER,
  InteractionsCsvError,
  formatInteractionsCsv,
  parseInteractionsCsv,
} from './interactions-csv';

const events: InteractionEvent[] = [
  { userId: 'u0001', itemId: '5SuOikwiRyPMVoIQDJUgSV', event: 'play', weight: 1, timestamp: 1704067200000 },
  { userId: 'u0001', itemId: '5SuOikwiRyPMVoIQDJUgSV', event: 'like', weight: 4, timestamp: 1704067260123 },
  { userId: 'u0002', itemId: 'a,"b"', event: 'skip', weight: -1, timestamp: 1704070800000 },
  { userId: 'u0002', itemId: 'x', event: 'play', weight: 2.5, timestamp: 0 },
];

function errorOf(text: string): InteractionsCsvError {
  try {
    parseInteractionsCsv(text);
  } catch (e) {
    if (e instanceof InteractionsCsvError) return e;
    throw e;
  }
  throw new Error('expected parseInteractionsCsv to throw');
}

describe('formatInteractionsCsv', () => {
  it('writes the header, epoch-millisecond timestamps and quotes ids that need it', () => {
    expect(formatInteractionsCsv(events)).toBe(
      [
        INTERACTIONS_CSV_HEADER,
        'u0001,5SuOikwiRyPMVoIQDJUgSV,play,1,1704067200000',
        'u0001,5SuOikwiRyPMVoIQDJUgSV,like,4,1704067260123',
        'u0002,"a,""b""",skip,-1,1704070800000',
        'u0002,x,play,2.5,0',
        '',
      ].join('\n'),
    );
  });

  it('refuses ids with line breaks, which the line-based format cannot carry', () => {
    expect(() => formatInteractionsCsv([{ ...events[0], itemId: 'a\nb' }])).toThrow('line break');
  });
});

describe('parseInteractionsCsv', () => {
  it('round-trips formatInteractionsCsv exactly', () => {
    expect(parseInteractionsCsv(formatInteractionsCsv(events))).toEqual(events);
    expect(parseInteractionsCsv(formatInteractionsCsv([]))).toEqual([]);
  });

  it('accepts CRLF, a BOM, blank lines, ISO-8601 timestamps and an empty weight (the event default)', () => {
    const text = `\ufeff${INTERACTIONS_CSV_HEADER}\r\nu1,i1,like,,2024-01-01T00:00:00Z\r\n\r\nu1,i2,skip,,2024-01-01T01:00:00.500+01:00\r\n`;
    expect(parseInteractionsCsv(text)).toEqual([
      { userId: 'u1', itemId: 'i1', event: 'like', weight: 4, timestamp: Date.UTC(2024, 0, 1) },
      { userId: 'u1', itemId: 'i2', event: 'skip', weight: -1, timestamp: Date.UTC(2024, 0, 1, 0, 0, 0, 500) },
    ]);
  });

  it.each([
    ['a wrong header', 'user,item\nu1,i1,play,1,0', 1, 'expected header'],
    ['an empty input', '', 1, 'expected header'],
    [
      'an unknown event',
      `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1,0\nu1,i1,lik,1,0`,
      3,
      'unknown event "lik" (expected play, like, skip)',
    ],
    ['a non-numeric weight', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,one,0`, 2, 'weight "one" is not a number'],
    ['an overflowing weight', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1e999,0`, 2, 'weight "1e999" is out of range'],
    ['a bad timestamp', `${INTERACTIONS_CSV_HEADER}\n\nu1,i1,play,1,yesterday`, 3, 'timestamp "yesterday" is neither'],
    ['an impossible date', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1,2024-13-45`, 2, 'timestamp "2024-13-45"'],
    ['a huge epoch', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1,99999999999999999999`, 2, 'out of range'],
    ['too few fields', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1`, 2, 'expected 5 fields, got 4'],
    ['too many fields', `${INTERACTIONS_CSV_HEADER}\nu1,i1,play,1,0,x`, 2, 'expected 5 fields, got 6'],
    ['an empty user', `${INTERACTIONS_CSV_HEADER}\n,i1,play,1,0`, 2, 'user_id is empty'],
    ['an empty item', `${INTERACTIONS_CSV_HEADER}\nu1,,play,1,0`, 2, 'item_id is empty'],
    ['an unterminated quote', `${INTERACTIONS_CSV_HEADER}\nu1,"i1,play,1,0`, 2, 'unterminated quoted field'],
    [
      'text after a quote',
      `${INTERACTIONS_CSV_HEADER}\nu1,"i1"x,play,1,0`,
      2,
      'unexpected character after quoted field',
    ],
  ])('rejects %s with its line number', (_name, text, line, reason) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`interactions CSV line ${line}: ${error.reason}`);
  });
});
