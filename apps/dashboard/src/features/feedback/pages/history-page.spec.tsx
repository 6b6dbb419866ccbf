import { screen, waitFor, within } from '@testing-library/react';
import type { HistoryItemDto } from '@encore/api-contract';
import { errorBody, json, LISTENER, never, signIn, stubApi } from '../../../test/fake-api';
import { renderWithProviders } from '../../../test/render';
import { HistoryPage } from './history-page';

const HISTORY = '/v1/users/u1/history';
const user = { id: LISTENER.id, username: LISTENER.username, role: LISTENER.role };

const item = (n: number, event: HistoryItemDto['event'] = 'like'): HistoryItemDto => ({
  songId: `s${n}`,
  event,
  timestamp: new Date(Date.UTC(2026, 10, 25, 12, 0, 60 - n)).toISOString(),
  song: { id: `s${n}`, name: `Song ${n}`, artists: [`Artist ${n}`] },
});

function renderPage() {
  signIn();
  return renderWithProviders(<HistoryPage user={user} />, { route: '/history' });
}

const rows = () => within(screen.getByRole('list', { name: 'Your interactions' })).getAllByRole('listitem');

describe('HistoryPage', () => {
  it('pages through the history with Load more, following the cursor', async () => {
    const api = stubApi({
      [HISTORY]: (url) => {
        const cursor = url.searchParams.get('cursor');
        if (!cursor) return json({ items: [item(1), item(2, 'skip')], nextCursor: 'c2' });
        if (cursor === 'c2') return json({ items: [item(3, 'play')], nextCursor: 'c3' });
        return json({ items: [item(4, 'dislike')] });
      },
    });
    const { user: clicker } = renderPage();

    await screen.findByRole('list', { name: 'Your interactions' });
    expect(rows()).toHaveLength(2);
    expect(within(rows()[0]).getByText('Liked')).toBeInTheDocument();
    expect(within(rows()[0]).getByRole('link', { name: 'Song 1' })).toHaveAttribute('href', '/songs/s1');
    expect(within(rows()[1]).getByText('Skipped')).toBeInTheDocument();
    expect(api.last(HISTORY).searchParams.get('limit')).toBe('20');
    expect(api.last(HISTORY).searchParams.has('cursor')).toBe(false);

    await clicker.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(api.last(HISTORY).searchParams.get('cursor')).toBe('c2');
    expect(within(rows()[2]).getByText('Played')).toBeInTheDocument();

    await clicker.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(api.last(HISTORY).searchParams.get('cursor')).toBe('c3');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getByText('That’s everything.')).toBeInTheDocument();
    expect(rows().map((row) => within(row).getByRole('link').textContent)).toEqual([
      'Song 1',
      'Song 2',
      'Song 3',
      'Song 4',
    ]);
  });

  it('shows a loading state, then an empty state for a new listener', async () => {
    let respond: (() => Response) | null = null;
    stubApi({ [HISTORY]: () => (respond ? respond() : never()) });
    const { unmount } = renderPage();
    expect(screen.getByRole('status', { name: 'Loading your history' })).toBeInTheDocument();
    unmount();

    respond = () => json({ items: [] });
    renderPage();
    expect(await screen.findByText('Nothing here yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See what’s for you' })).toHaveAttribute('href', '/for-you');
  });

  it('keeps a row for a song that left the catalog, and reports errors with a retry', async () => {
    let fail = true;
    stubApi({
      [HISTORY]: () =>
        fail ? json(errorBody(503, 'store unavailable'), 503) : json({ items: [{ ...item(9), song: null }] }),
    });
    const { user: clicker } = renderPage();

    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t load your history');
    fail = false;
    await clicker.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('A song no longer in the catalog (s9)')).toBeInTheDocument();
  });
});
