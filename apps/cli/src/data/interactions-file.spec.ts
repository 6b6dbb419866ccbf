import { detectInteractionsFormat, parseColumnMapping, parseInteractionsText } from './interactions-file';

describe('interactions files', () => {
  it('recognises raw MovieLens and Last.fm files by their first line', () => {
    expect(detectInteractionsFormat('196\t242\t3\t881250949\n186\t302\t3\t891717742\n')).toBe('movielens-100k');
    expect(detectInteractionsFormat('userID\tartistID\tweight\n2\t51\t13883\n')).toBe('lastfm-2k');
    expect(detectInteractionsFormat('user_id,item_id\nu1,a\n')).toBe('csv');
    expect(detectInteractionsFormat('user\titem\trating\tts\n1\t2\t3\t4\n')).toBe('csv');
  });

  it('reads MovieLens ratings as weights', () => {
    expect(parseInteractionsText('1\t2\t5\t10\n', 'u.data')).toEqual([
      { userId: '1', itemId: '2', weight: 5, timestamp: 10_000 },
    ]);
  });

  it('maps header names with --columns', () => {
    expect(parseColumnMapping('user=listener, item=song,weight=plays')).toEqual({
      userId: 'listener',
      itemId: 'song',
      weight: 'plays',
    });
    const rows = parseInteractionsText('listener,song,plays\nx,y,3\n', 'f.csv', {
      columns: parseColumnMapping('user=listener,item=song,weight=plays'),
    });
    expect(rows).toEqual([{ userId: 'x', itemId: 'y', weight: 3 }]);
    expect(() => parseColumnMapping('song')).toThrow(
      '--columns "song": expected FIELD=HEADER with FIELD one of user, item',
    );
    expect(() => parseColumnMapping('track=x')).toThrow(/FIELD one of/);
  });
});
