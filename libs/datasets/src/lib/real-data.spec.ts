import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLastfmUserArtists, parseMovieLens100k, type Interaction } from '../index';

// The repository's sibling `shared/data`; CI always has it, so a missing file fails loudly.
const DATA = resolve(__dirname, '../../../../../shared/data');

function distinct(rows: Interaction[], key: 'userId' | 'itemId'): number {
  return new Set(rows.map((r) => r[key])).size;
}

describe('real datasets', () => {
  it('parses MovieLens 100K u.data: 100,000 ratings, 943 users, 1,682 items', () => {
    const rows = parseMovieLens100k(readFileSync(resolve(DATA, 'ml-100k/u.data'), 'utf8'));
    expect(rows).toHaveLength(100_000);
    expect(distinct(rows, 'userId')).toBe(943);
    expect(distinct(rows, 'itemId')).toBe(1682);
    expect(rows[0]).toEqual({ userId: '196', itemId: '242', weight: 3, timestamp: 881250949000 });
    expect(rows.every((r) => r.weight !== undefined && r.weight >= 1 && r.weight <= 5)).toBe(true);
  });

  it('parses HetRec Last.fm user_artists.dat: 92,834 rows, 1,892 users, 17,632 artists', () => {
    const rows = parseLastfmUserArtists(readFileSync(resolve(DATA, 'hetrec2011-lastfm-2k/user_artists.dat'), 'utf8'));
    expect(rows).toHaveLength(92_834);
    expect(distinct(rows, 'userId')).toBe(1892);
    expect(distinct(rows, 'itemId')).toBe(17_632);
    expect(rows[0]).toEqual({ userId: '2', itemId: '51', weight: 13883 });
  });
});
