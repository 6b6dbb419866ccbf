import { applyFilterPatch, filtersFromParams, PAGE_SIZE, toSongQuery, totalPages } from './song-filters';

const parse = (search: string) => filtersFromParams(new URLSearchParams(search));

describe('filtersFromParams', () => {
  it('defaults to page 1, popularity order without a search and relevance with one', () => {
    expect(parse('')).toEqual({ q: '', genres: [], sort: 'popularity', page: 1, limit: PAGE_SIZE });
    expect(parse('q=%20blue%20').sort).toBe('relevance');
    expect(parse('q=blue').q).toBe('blue');
  });

  it('reads repeated genres, deduplicated and sorted so equal filters share a cache entry', () => {
    expect(parse('genre=rock&genre=jazz&genre=rock').genres).toEqual(['jazz', 'rock']);
  });

  it('ignores a malformed page or sort', () => {
    expect(parse('page=0&sort=loudest')).toMatchObject({ page: 1, sort: 'popularity' });
    expect(parse('page=abc').page).toBe(1);
    expect(parse('page=3&sort=name')).toMatchObject({ page: 3, sort: 'name' });
  });
});

describe('applyFilterPatch', () => {
  const start = new URLSearchParams('q=blue&genre=rock&page=4');

  it('goes back to page 1 when the search, genres or sort change', () => {
    expect(applyFilterPatch(start, { q: 'red' }).toString()).toBe('q=red&genre=rock');
    expect(applyFilterPatch(start, { genres: ['jazz', 'pop'] }).toString()).toBe('q=blue&genre=jazz&genre=pop');
    expect(applyFilterPatch(start, { sort: 'name' }).toString()).toBe('q=blue&genre=rock&sort=name');
  });

  it('changes only the page when paging', () => {
    expect(applyFilterPatch(start, { page: 5 }).toString()).toBe('q=blue&genre=rock&page=5');
    expect(applyFilterPatch(start, { page: 1 }).toString()).toBe('q=blue&genre=rock');
  });

  it('removes an emptied search and does not mutate its input', () => {
    expect(applyFilterPatch(start, { q: '  ' }).toString()).toBe('genre=rock');
    expect(start.toString()).toBe('q=blue&genre=rock&page=4');
  });
});

describe('toSongQuery / totalPages', () => {
  it('omits an empty search and genre list', () => {
    expect(toSongQuery(parse(''))).toEqual({
      q: undefined,
      genre: undefined,
      sort: 'popularity',
      page: 1,
      limit: PAGE_SIZE,
    });
  });

  it('counts at least one page', () => {
    expect(totalPages(0, 20)).toBe(1);
    expect(totalPages(20, 20)).toBe(1);
    expect(totalPages(21, 20)).toBe(2);
  });
});
