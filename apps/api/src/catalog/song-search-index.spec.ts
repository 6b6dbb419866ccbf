import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { normalizeText, SongSearchIndex, type SongSearchRequest } from './song-search-index';

// Eight songs whose match tiers for "love" are known by construction:
// name = "love" (s2) · name starts with it (s1, s3) · name contains it (s4) · artist (s7) · album only (s8).
const catalog = Catalog.fromSongs([
  songFixture('s1', {
    name: 'Love Story',
    artists: ['Taylor Swift'],
    album: 'Fearless',
    genres: ['pop'],
    popularity: 90,
  }),
  songFixture('s2', { name: 'LOVE', artists: ['Kendrick Lamar'], album: 'DAMN.', genres: ['hip-hop'], popularity: 80 }),
  songFixture('s3', {
    name: 'lovely',
    artists: ['Billie Eilish', 'Khalid'],
    album: 'lovely',
    genres: ['pop'],
    popularity: 85,
  }),
  songFixture('s4', {
    name: 'Crazy In Love',
    artists: ['Beyoncé', 'JAY-Z'],
    album: 'Dangerously In Love',
    genres: ['pop', 'r-n-b'],
    popularity: 70,
  }),
  songFixture('s5', {
    name: 'Halo',
    artists: ['Beyoncé'],
    album: 'I Am... Sasha Fierce',
    genres: ['r-n-b'],
    popularity: 75,
  }),
  songFixture('s6', { name: 'Yesterday', artists: ['The Beatles'], album: 'Help!', genres: ['rock'], popularity: 60 }),
  songFixture('s7', { name: 'Box', artists: ['Lovelace'], album: 'Gloves', genres: ['rock'], popularity: 10 }),
  songFixture('s8', { name: 'Something', artists: ['Nobody'], album: 'Love Songs', genres: ['jazz'], popularity: 50 }),
]);
const index = SongSearchIndex.build(catalog);

function ids(request: Partial<SongSearchRequest>): string[] {
  return search(request).ids;
}
function search(request: Partial<SongSearchRequest>): { total: number; ids: string[] } {
  const { total, indices } = index.search({ sort: 'relevance', offset: 0, limit: 100, ...request });
  return { total, ids: indices.map((i) => catalog.ids[i]) };
}

describe('SongSearchIndex', () => {
  describe('without a query', () => {
    it('lists every song by popularity for relevance and popularity sorts', () => {
      const byPopularity = ['s1', 's3', 's2', 's5', 's4', 's6', 's8', 's7'];
      expect(ids({})).toEqual(byPopularity);
      expect(ids({ sort: 'popularity' })).toEqual(byPopularity);
    });

    it('sorts by normalised name (case-insensitive) for sort=name', () => {
      // box, crazy in love, halo, love, love story, lovely, something, yesterday
      expect(ids({ sort: 'name' })).toEqual(['s7', 's4', 's5', 's2', 's1', 's3', 's8', 's6']);
    });

    it('breaks popularity ties by name', () => {
      const tied = Catalog.fromSongs([
        songFixture('b', { name: 'Beta', popularity: 5 }),
        songFixture('a', { name: 'alpha', popularity: 5 }),
        songFixture('c', { name: 'Gamma', popularity: 9 }),
      ]);
      const { indices } = SongSearchIndex.build(tied).search({ sort: 'relevance', offset: 0, limit: 10 });
      expect(indices.map((i) => tied.ids[i])).toEqual(['c', 'a', 'b']);
    });

    it('treats a blank or control-character query as no query', () => {
      expect(ids({ query: '   ' })).toEqual(ids({}));
      expect(ids({ query: '\u0001\n' })).toEqual(ids({}));
    });
  });

  describe('with a query', () => {
    it('ranks exact name, then name prefix, name substring, artist, album; popularity within a tier', () => {
      expect(search({ query: 'love' })).toEqual({ total: 6, ids: ['s2', 's1', 's3', 's4', 's7', 's8'] });
    });

    it('is case- and accent-insensitive', () => {
      expect(ids({ query: 'LoVe' })).toEqual(ids({ query: 'love' }));
      // Both by Beyoncé (artist tier), so popularity decides: Halo 75 before Crazy In Love 70.
      expect(ids({ query: 'beyonce' })).toEqual(['s5', 's4']);
      expect(ids({ query: 'BEYONCÉ' })).toEqual(['s5', 's4']);
    });

    it('requires every word, each anywhere in name, artists or album', () => {
      expect(ids({ query: 'story taylor' })).toEqual(['s1']);
      expect(ids({ query: 'beatles yesterday' })).toEqual(['s6']);
      expect(ids({ query: 'story kendrick' })).toEqual([]);
    });

    it('ranks a song whose name holds all the words above artist matches', () => {
      // s4 "Crazy In Love" has both words in its name; s5 matches "beyonce" only through the artist.
      expect(ids({ query: 'love crazy' })).toEqual(['s4']);
      // Words are substrings: "in" also occurs in "Something" (s8, "love" in its album), which ranks below.
      expect(ids({ query: 'in love' })).toEqual(['s4', 's8']);
    });

    it('returns nothing for an unknown word, even when all its trigrams but one occur', () => {
      expect(search({ query: 'zzzz' })).toEqual({ total: 0, ids: [] });
      // "lov" and "ove" are indexed, "vex" is not: candidates come from one trigram and are verified.
      expect(search({ query: 'lovex' })).toEqual({ total: 0, ids: [] });
      expect(search({ query: 'storytaylor' })).toEqual({ total: 0, ids: [] });
    });

    it('applies popularity and name sorts to the matching songs only', () => {
      expect(ids({ query: 'love', sort: 'popularity' })).toEqual(['s1', 's3', 's2', 's4', 's8', 's7']);
      expect(ids({ query: 'love', sort: 'name' })).toEqual(['s7', 's4', 's2', 's1', 's3', 's8']);
    });
  });

  describe('genre filter', () => {
    it('keeps songs in any of the genres', () => {
      expect(ids({ genres: ['rock'] })).toEqual(['s6', 's7']);
      expect(ids({ genres: ['rock', 'jazz'] })).toEqual(['s6', 's8', 's7']);
      expect(ids({ genres: ['r-n-b'] })).toEqual(['s5', 's4']);
    });

    it('combines with the query', () => {
      expect(search({ query: 'love', genres: ['pop'] })).toEqual({ total: 3, ids: ['s1', 's3', 's4'] });
      expect(ids({ query: 'love', genres: ['rock'] })).toEqual(['s7']);
    });

    it('matches nothing for an unknown genre, and ignores it next to a known one', () => {
      expect(search({ genres: ['polka'] })).toEqual({ total: 0, ids: [] });
      expect(ids({ genres: ['polka', 'jazz'] })).toEqual(['s8']);
    });
  });

  describe('paging', () => {
    it('returns the requested slice and the total before paging', () => {
      expect(search({ offset: 2, limit: 3 })).toEqual({ total: 8, ids: ['s2', 's5', 's4'] });
      expect(search({ query: 'love', offset: 1, limit: 2 })).toEqual({ total: 6, ids: ['s1', 's3'] });
      expect(search({ query: 'love', offset: 5, limit: 10 })).toEqual({ total: 6, ids: ['s8'] });
    });

    it('returns an empty page past the end but still the total', () => {
      expect(search({ offset: 8, limit: 5 })).toEqual({ total: 8, ids: [] });
      expect(search({ query: 'love', offset: 50, limit: 5 })).toEqual({ total: 6, ids: [] });
    });

    it('pages concatenate to the full ordering for every page size and sort', () => {
      for (const sort of ['relevance', 'popularity', 'name'] as const) {
        for (const query of [undefined, 'love', 'o']) {
          const all = ids({ query, sort });
          for (let limit = 1; limit <= all.length; limit++) {
            const pages: string[] = [];
            for (let offset = 0; offset < all.length; offset += limit)
              pages.push(...ids({ query, sort, offset, limit }));
            expect(pages).toEqual(all);
          }
        }
      }
    });
  });

  it('handles an empty catalog', () => {
    const empty = SongSearchIndex.build(Catalog.fromSongs([]));
    expect(empty.search({ query: 'love', sort: 'relevance', offset: 0, limit: 10 })).toEqual({ total: 0, indices: [] });
    expect(empty.search({ sort: 'name', offset: 0, limit: 10 })).toEqual({ total: 0, indices: [] });
  });
});

describe('normalizeText', () => {
  it('lower-cases, strips accents and collapses whitespace and control characters', () => {
    expect(normalizeText('  Beyoncé\tCRAZY \n in\u0001Love ')).toBe('beyonce crazy in love');
    expect(normalizeText('Sigur Rós – Hoppípolla')).toBe('sigur ros – hoppipolla');
    expect(normalizeText("  Don't  Stop   Me Now ")).toBe("don't stop me now");
  });
});
