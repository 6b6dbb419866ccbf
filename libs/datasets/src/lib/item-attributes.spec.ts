import {
  DatasetParseError,
  MOVIELENS_GENRES,
  lastfmArtistTags,
  movieLensGenreAttributes,
  parseLastfmTagAssignments,
  parseLastfmTags,
  parseMovieLensItems,
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

describe('Last.fm tags', () => {
  const tags = 'tagID\ttagValue\n1\tmetal\r\n2\tsynthpop\n\n3\tpop\n';
  const assignments =
    'userID\tartistID\ttagID\tday\tmonth\tyear\n2\t52\t1\t1\t4\t2009\n3\t52\t1\t15\t12\t2008\n2\t52\t2\t1\t4\t2009\n2\t60\t3\t1\t4\t2009\n';

  it('reads tags.dat into an id → text map (CRLF and blank lines allowed)', () => {
    expect([...parseLastfmTags(tags)]).toEqual([
      ['1', 'metal'],
      ['2', 'synthpop'],
      ['3', 'pop'],
    ]);
  });

  it('reads tag assignments with the day as a UTC timestamp', () => {
    const rows = parseLastfmTagAssignments(assignments);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual({ userId: '3', artistId: '52', tagId: '1', timestamp: Date.UTC(2008, 11, 15) });
  });

  it('counts per artist how many assignments carry each tag text', () => {
    const attrs = lastfmArtistTags(parseLastfmTagAssignments(assignments), parseLastfmTags(tags));
    expect(attrs).toEqual([
      { itemId: '52', attribute: 'metal', weight: 2 },
      { itemId: '52', attribute: 'synthpop', weight: 1 },
      { itemId: '60', attribute: 'pop', weight: 1 },
    ]);
    expect(() => lastfmArtistTags(parseLastfmTagAssignments(assignments), new Map([['1', 'metal']]))).toThrow(
      'uses unknown tag id 2',
    );
  });

  it('names the line of a malformed row', () => {
    expect(errorOf(() => parseLastfmTags('id\tvalue\n')).message).toBe(
      'tags.dat line 1: expected the header "tagID\\ttagValue", got "id\tvalue"',
    );
    expect(errorOf(() => parseLastfmTags('tagID\ttagValue\n1\tx\n1\ty\n')).message).toBe(
      'tags.dat line 3: tag id 1 appears twice',
    );
    expect(
      errorOf(() => parseLastfmTagAssignments('userID\tartistID\ttagID\tday\tmonth\tyear\n2\t52\t1\t1\t13\t2009\n'))
        .line,
    ).toBe(2);
    expect(
      errorOf(() => parseLastfmTagAssignments('userID\tartistID\ttagID\tday\tmonth\tyear\n2\t52\t1\n')).reason,
    ).toMatch('expected 6 tab-separated fields');
    expect(errorOf(() => parseLastfmTags('')).reason).toMatch('empty file');
  });
});

describe('MovieLens u.item', () => {
  const flags = (...on: number[]) => MOVIELENS_GENRES.map((_, g) => (on.includes(g) ? '1' : '0')).join('|');
  const text = `1|Toy Story (1995)|01-Jan-1995||http://x|${flags(3, 4, 5)}\n2|GoldenEye (1995)|01-Jan-1995||http://y|${flags(1, 2, 16)}\n`;

  it('reads ids, titles and the 19 genre flags', () => {
    const items = parseMovieLensItems(text);
    expect(items[0]).toEqual({
      itemId: '1',
      title: 'Toy Story (1995)',
      releaseDate: '01-Jan-1995',
      genres: ['Animation', "Children's", 'Comedy'],
    });
    expect(items[1].genres).toEqual(['Action', 'Adventure', 'Thriller']);
    expect(movieLensGenreAttributes(items).slice(0, 2)).toEqual([
      { itemId: '1', attribute: 'Animation', weight: 1 },
      { itemId: '1', attribute: "Children's", weight: 1 },
    ]);
  });

  it('names the line of a malformed row', () => {
    expect(errorOf(() => parseMovieLensItems(`${text}3|short\n`)).message).toBe(
      'u.item line 3: expected 24 |-separated fields, got 2',
    );
    expect(errorOf(() => parseMovieLensItems(`1|T|d||u|${flags().replace(/^0/, '2')}\n`)).reason).toBe(
      'genre flag unknown is "2", expected 0 or 1',
    );
  });
});
