import { screen, waitFor, within } from '@testing-library/react';
import type { RecommendationReasonDto, SongDto } from '@encore/api-contract';
import {
  deferredResponse,
  errorBody,
  json,
  LISTENER,
  never,
  recommendations,
  SONGS,
  signIn,
  stubApi,
} from '../../../test/fake-api';
import { renderWithProviders } from '../../../test/render';
import { historyQueries } from '../../feedback/api/history-queries';
import { ForYouPage } from './for-you-page';

const RECS = '/v1/users/u1/recommendations';
const POST = '/v1/users/u1/interactions';
const user = { id: LISTENER.id, username: LISTENER.username, role: LISTENER.role };
const liked = (song: SongDto): RecommendationReasonDto => ({
  source: 'item-knn',
  text: `Because you liked ${song.name}`,
  seedSongId: song.id,
});
const cards = () => within(screen.getByRole('list', { name: 'Recommended songs' })).getAllByRole('listitem');
const titles = () => cards().map((card) => within(card).getAllByRole('link')[0].textContent);

function renderPage(route = '/for-you') {
  signIn();
  return renderWithProviders(<ForYouPage user={user} />, { route });
}

describe('ForYouPage states', () => {
  it('shows skeleton cards while the list loads', () => {
    stubApi({ [RECS]: never });
    renderPage();
    expect(screen.getByRole('status', { name: 'Loading your recommendations' })).toBeInTheDocument();
  });

  it('invites a listener with nothing to recommend to like songs', async () => {
    stubApi({ [RECS]: () => json(recommendations([])) });
    renderPage();
    expect(await screen.findByText('Like a few songs to get started')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse songs' })).toHaveAttribute('href', '/');
  });

  it('shows the API error and retries', async () => {
    let fail = true;
    const api = stubApi({
      [RECS]: () =>
        fail ? json(errorBody(503, 'recommendations are unavailable'), 503) : json(recommendations(SONGS)),
    });
    const { user: clicker } = renderPage();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load your recommendations');
    expect(alert).toHaveTextContent('recommendations are unavailable');
    fail = false;
    await clicker.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: 'Blue Monday' })).toBeInTheDocument();
    expect(api.requests(RECS)).toHaveLength(2);
  });

  it('says when the list is only popular songs (a new listener)', async () => {
    stubApi();
    renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });

    expect(screen.getByText('popular songs').closest('p')).toHaveTextContent(
      'These are popular songs: Encore doesn’t know your taste yet',
    );
    expect(within(cards()[0]).getByText('Popular right now')).toBeInTheDocument();
    expect(screen.getByText('Ranked by engine · model engine-test-1')).toBeInTheDocument();
  });

  it('shows each song’s reason, and no popularity note once the list is personal', async () => {
    const [first, ...rest] = SONGS;
    stubApi({
      [RECS]: () =>
        json({
          ...recommendations(rest, liked(first)),
          items: [...recommendations(rest, liked(first)).items, ...recommendations([first]).items],
        }),
    });
    renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });

    expect(titles()).toEqual(['Hallelujah', 'So What', 'Paranoid Android', 'Blue Monday']);
    expect(within(cards()[0]).getByText('Because you liked Blue Monday')).toBeInTheDocument();
    expect(within(cards()[3]).getByText('Popular right now')).toBeInTheDocument();
    expect(screen.queryByText(/doesn’t know your taste/)).not.toBeInTheDocument();
  });
});

describe('ForYouPage strategy switch', () => {
  it('asks for the picked strategy and keeps it in the URL', async () => {
    const api = stubApi();
    const { user: clicker } = renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });
    expect(api.last(RECS).searchParams.get('strategy')).toBe('hybrid');
    expect(api.last(RECS).searchParams.get('k')).toBe('20');

    const group = screen.getByRole('radiogroup', { name: 'Strategy' });
    expect(within(group).getByRole('radio', { name: 'Hybrid' })).toBeChecked();
    await clicker.click(within(group).getByRole('radio', { name: 'CF' }));

    await waitFor(() => expect(api.last(RECS).searchParams.get('strategy')).toBe('cf'));
    expect(window.location.search).toBe('?strategy=cf');
    expect(within(group).getByRole('radio', { name: 'CF' })).toBeChecked();

    // One tab stop; arrow keys move the selection.
    await clicker.keyboard('{ArrowRight}');
    await waitFor(() => expect(api.last(RECS).searchParams.get('strategy')).toBe('content'));
    expect(within(group).getByRole('radio', { name: 'Content' })).toHaveFocus();

    await clicker.click(within(group).getByRole('radio', { name: 'Hybrid' }));
    expect(window.location.search).toBe('');
  });

  it('reads the strategy from a shared URL', async () => {
    const api = stubApi();
    renderPage('/for-you?strategy=popular');
    await screen.findByRole('list', { name: 'Recommended songs' });
    expect(api.last(RECS).searchParams.get('strategy')).toBe('popular');
    // Asking for popular songs needs no "only popular" note.
    expect(screen.queryByText(/doesn’t know your taste/)).not.toBeInTheDocument();
  });
});

/** A fake API whose recommendations drop every song the listener has rated, like the real one. */
function statefulApi(post: () => Promise<Response> | Response = () => json({ accepted: 1, duplicates: 0 }, 201)) {
  const rated = new Set<string>();
  return stubApi({
    [RECS]: () => json(recommendations(SONGS.filter((s) => !rated.has(s.id)))),
    [POST]: async (_url, init) => {
      const response = await post();
      if (response.ok) {
        const { events } = JSON.parse(String(init?.body)) as { events: { songId: string }[] };
        for (const e of events) rated.add(e.songId);
      }
      return response;
    },
  });
}

describe('ForYouPage feedback', () => {
  it('skip removes the song at once, then refetches the list and the history', async () => {
    const pending = deferredResponse();
    const api = statefulApi(() => pending.promise);
    const { user: clicker, client } = renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });
    client.setQueryData(historyQueries.list('u1').queryKey, { pages: [{ items: [] }], pageParams: [undefined] });

    await clicker.click(screen.getByRole('button', { name: 'Skip Blue Monday' }));

    // Optimistic: gone before the API has answered.
    expect(titles()).toEqual(['Hallelujah', 'So What', 'Paranoid Android']);
    expect(api.calls(POST)[0]).toMatchObject({ method: 'POST', body: { events: [{ songId: 's1', event: 'skip' }] } });
    expect(api.requests(RECS)).toHaveLength(1);

    pending.resolve(json({ accepted: 1, duplicates: 0 }, 201));

    await waitFor(() => expect(api.requests(RECS)).toHaveLength(2));
    expect(client.getQueryState(historyQueries.list('u1').queryKey)?.isInvalidated).toBe(true);
    expect(titles()).toEqual(['Hallelujah', 'So What', 'Paranoid Android']);
  });

  it('like marks the song as liked at once; the refetched list no longer has it', async () => {
    const pending = deferredResponse();
    const api = statefulApi(() => pending.promise);
    const { user: clicker } = renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });

    await clicker.click(screen.getByRole('button', { name: 'Like Hallelujah' }));

    const likedButton = screen.getByRole('button', { name: 'Liked Hallelujah' });
    expect(likedButton).toHaveAttribute('aria-pressed', 'true');
    expect(titles()).toContain('Hallelujah');
    expect(api.calls(POST)[0].body).toEqual({ events: [{ songId: 's2', event: 'like' }] });

    pending.resolve(json({ accepted: 1, duplicates: 0 }, 201));

    await waitFor(() => expect(titles()).toEqual(['Blue Monday', 'So What', 'Paranoid Android']));
    expect(api.requests(RECS)).toHaveLength(2);
  });

  it('puts the song back and says so when the API refuses the feedback', async () => {
    const pending = deferredResponse();
    statefulApi(() => pending.promise);
    const { user: clicker } = renderPage();
    await screen.findByRole('list', { name: 'Recommended songs' });

    await clicker.click(screen.getByRole('button', { name: 'Dislike So What' }));
    expect(titles()).not.toContain('So What');

    pending.resolve(json(errorBody(503, 'interaction store unavailable'), 503));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t save your dislike of “So What”: interaction store unavailable',
    );
    expect(titles()).toEqual(['Blue Monday', 'Hallelujah', 'So What', 'Paranoid Android']);
    await clicker.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
