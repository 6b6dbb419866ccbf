import { AcknowledgedFeedback, type HistoryIdsPage } from './acknowledged-feedback';

/** A paged history per user, `size` ids a page, cursors `c1`, `c2`… */
function pager(stored: Record<string, (string | undefined)[]>, size = 2) {
  const calls: string[] = [];
  const page = async (userId: string, cursor?: string): Promise<HistoryIdsPage> => {
    calls.push(`${userId}:${cursor ?? '-'}`);
    const from = cursor === undefined ? 0 : Number(cursor.slice(1));
    const ids = (stored[userId] ?? []).slice(from, from + size);
    const next = from + size;
    return { ids, ...(next < (stored[userId] ?? []).length && { nextCursor: `c${next}` }) };
  };
  return { page, calls };
}

describe('AcknowledgedFeedback', () => {
  it('finds every acknowledged id by following the history cursors to the last page', async () => {
    const acked = new AcknowledgedFeedback();
    acked.acknowledge('u1', ['a', 'b']);
    acked.acknowledge('u1', ['e']);
    acked.acknowledge('u2', ['x']);
    const { page, calls } = pager({ u1: ['e', 'd', 'c', 'b', 'a'], u2: ['x', undefined] });
    const result = await acked.verify(page);
    expect(result).toEqual({ acknowledged: 4, found: 4, missing: [], pages: 4 });
    expect(calls).toEqual(['u1:-', 'u1:c2', 'u1:c4', 'u2:-']);
  });

  it('names the acknowledged ids the store does not have', async () => {
    const acked = new AcknowledgedFeedback();
    acked.acknowledge('u1', ['a', 'b', 'c']);
    acked.acknowledge('u2', ['x']);
    const { page } = pager({ u1: ['c', 'a', 'unacknowledged'] });
    const result = await acked.verify(page);
    expect(result.found).toBe(2);
    expect(result.missing).toEqual([
      { userId: 'u1', id: 'b' },
      { userId: 'u2', id: 'x' },
    ]);
  });

  it('refuses an id acknowledged twice (the run must use unique client ids)', () => {
    const acked = new AcknowledgedFeedback();
    acked.acknowledge('u1', ['a']);
    expect(() => acked.acknowledge('u1', ['a'])).toThrow('feedback id a of u1 acknowledged twice');
    expect(acked.count).toBe(1);
  });

  it('stops on a history that repeats a cursor instead of paging forever', async () => {
    const acked = new AcknowledgedFeedback();
    acked.acknowledge('u1', ['a']);
    await expect(acked.verify(async () => ({ ids: [], nextCursor: 'same' }))).rejects.toThrow(
      'history of u1 returned cursor same twice',
    );
  });
});
