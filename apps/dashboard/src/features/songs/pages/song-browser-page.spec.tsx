import { screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders } from '../../../test/render';
import { errorBody, json, never, SONGS, songDto, stubApi } from '../../../test/fake-api';
import { SongBrowserPage } from './song-browser-page';

const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);

describe('SongBrowserPage', () => {
  it('shows a loading skeleton until the first page arrives', () => {
    stubApi({ '/v1/songs': never });
    renderWithProviders(<SongBrowserPage />);
    expect(screen.getByRole('status', { name: 'Loading songs' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('lists songs with name, artists, album, genres and popularity', async () => {
    stubApi();
    renderWithProviders(<SongBrowserPage />);

    await screen.findByRole('link', { name: 'Blue Monday' });
    expect(rows()).toHaveLength(4);
    const first = within(rows()[0]);
    expect(first.getByText('New Order')).toBeInTheDocument();
    expect(first.getByText('Power, Corruption & Lies')).toBeInTheDocument();
    expect(first.getByText('synth-pop')).toBeInTheDocument();
    expect(first.getByLabelText('Popularity 81 of 100')).toHaveTextContent('81');
    expect(screen.getByRole('link', { name: 'Blue Monday' })).toHaveAttribute('href', '/songs/s1');
  });

  it('says so when no song matches', async () => {
    stubApi({ '/v1/songs': () => json({ items: [], total: 0, page: 1, limit: 20 }) });
    renderWithProviders(<SongBrowserPage />, { route: '/?q=zzz' });

    expect(await screen.findByText(/no songs match/i)).toHaveTextContent('No songs match “zzz”.');
    expect(screen.getByRole('button', { name: 'Clear search and genres' })).toBeInTheDocument();
  });

  it('offers the first page when the URL points past the last one', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />, { route: '/?page=9' });

    await user.click(await screen.findByRole('button', { name: 'Go to the first page' }));

    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(api.last('/v1/songs').searchParams.get('page')).toBe('1');
  });

  it('shows the API error and refetches on retry', async () => {
    let calls = 0;
    const api = stubApi({
      '/v1/songs': () =>
        ++calls === 1
          ? json(errorBody(500, 'Catalog is warming up'), 500)
          : json({ items: SONGS, total: 4, page: 1, limit: 20 }),
    });
    const { user } = renderWithProviders(<SongBrowserPage />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load songs');
    expect(alert).toHaveTextContent('Catalog is warming up');
    expect(alert).toHaveTextContent('req-123');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: 'Blue Monday' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.requests('/v1/songs')).toHaveLength(2);
  });

  it('sends the typed search after a pause, back on page 1, and keeps it in the URL', async () => {
    const many = [...SONGS, ...Array.from({ length: 30 }, (_, i) => songDto({ id: `m${i}`, name: `Filler ${i}` }))];
    const api = stubApi({}, many);
    const { user } = renderWithProviders(<SongBrowserPage />, { route: '/?page=2' });
    await screen.findByText('Page 2 of 2');

    await user.type(screen.getByRole('searchbox', { name: 'Search songs' }), 'hallelujah');

    await waitFor(() => expect(api.last('/v1/songs').searchParams.get('q')).toBe('hallelujah'));
    const sent = api.last('/v1/songs').searchParams;
    expect(sent.get('page')).toBe('1');
    expect(sent.get('sort')).toBe('relevance');
    expect(window.location.search).toBe('?q=hallelujah');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByRole('link', { name: 'Hallelujah' })).toBeInTheDocument();
  });

  it('searches at once on Enter', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />);
    await screen.findByRole('table');

    await user.type(screen.getByRole('searchbox', { name: 'Search songs' }), 'so what{Enter}');

    expect(window.location.search).toBe('?q=so+what');
    await waitFor(() => expect(api.last('/v1/songs').searchParams.get('q')).toBe('so what'));
  });

  it('filters by the genres picked from /v1/genres', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />);
    await screen.findByRole('table');

    await user.click(screen.getByRole('button', { name: 'Genres' }));
    await user.click(await screen.findByRole('checkbox', { name: /rock/ }));

    await waitFor(() => expect(api.last('/v1/songs').searchParams.getAll('genre')).toEqual(['rock']));
    expect(window.location.search).toBe('?genre=rock');
    await waitFor(() => expect(rows()).toHaveLength(2));
    // The matched genre leads the row's tags, so the row shows why it is there.
    const hallelujah = rows().find((row) => within(row).queryByText('Hallelujah'));
    expect(
      within(hallelujah as HTMLElement)
        .getAllByText(/^(folk|rock)$/)
        .map((t) => t.textContent),
    ).toEqual(['rock', 'folk']);
    expect(within(hallelujah as HTMLElement).getByText('rock')).toHaveClass('tag--match');

    await user.click(screen.getByRole('checkbox', { name: /jazz/ }));
    await waitFor(() => expect(api.last('/v1/songs').searchParams.getAll('genre')).toEqual(['jazz', 'rock']));

    await user.click(screen.getByRole('button', { name: 'Remove genre rock' }));
    await waitFor(() => expect(api.last('/v1/songs').searchParams.getAll('genre')).toEqual(['jazz']));

    // Clicking a chip is a click outside the open panel, which closes it.
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Genres, 1 selected' }));
    await user.click(screen.getByRole('checkbox', { name: /folk/ }));
    await user.click(screen.getByRole('button', { name: 'Clear genres' }));
    await waitFor(() => expect(api.last('/v1/songs').searchParams.has('genre')).toBe(false));
    expect(window.location.search).toBe('');
  });

  it('narrows the genre list as you type in it', async () => {
    stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />);
    await user.click(screen.getByRole('button', { name: 'Genres' }));
    await screen.findByRole('checkbox', { name: /folk/ });

    await user.type(screen.getByRole('searchbox', { name: 'Find a genre' }), 'ja');

    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
    expect(screen.getByRole('checkbox', { name: /jazz/ })).toBeInTheDocument();
  });

  it('pages through results with previous and next', async () => {
    const many = Array.from({ length: 45 }, (_, i) => songDto({ id: `m${i}`, name: `Song ${i + 1}` }));
    const api = stubApi({}, many);
    const { user } = renderWithProviders(<SongBrowserPage />);

    expect(await screen.findByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getByText('1–20 of 45 songs')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /previous/i })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: /next/i }));
    expect(await screen.findByText('Page 2 of 3')).toBeInTheDocument();
    expect(api.last('/v1/songs').searchParams.get('page')).toBe('2');
    expect(window.location.search).toBe('?page=2');
    expect(screen.getByRole('link', { name: 'Song 21' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /next/i }));
    expect(await screen.findByText('Page 3 of 3')).toBeInTheDocument();
    expect(rows()).toHaveLength(5);
    expect(screen.getByRole('button', { name: /next/i })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: /previous/i }));
    expect(await screen.findByText('Page 2 of 3')).toBeInTheDocument();
  });

  it('changes the order with the sort select', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />);
    await screen.findByRole('table');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'name');

    await waitFor(() => expect(api.last('/v1/songs').searchParams.get('sort')).toBe('name'));
    await waitFor(() => expect(within(rows()[0]).getByRole('link')).toHaveTextContent('Blue Monday'));
    expect(within(rows()[3]).getByRole('link')).toHaveTextContent('So What');
  });

  it('restores a shared URL into the first request and the controls', async () => {
    const api = stubApi();
    renderWithProviders(<SongBrowserPage />, { route: '/?q=blue&genre=synth-pop&sort=name&page=1' });

    await screen.findByRole('table');
    const sent = api.requests('/v1/songs')[0].searchParams;
    expect(sent.toString()).toBe('q=blue&genre=synth-pop&sort=name&page=1&limit=20');
    expect(screen.getByRole('searchbox', { name: 'Search songs' })).toHaveValue('blue');
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('name');
    expect(screen.getByRole('button', { name: 'Remove genre synth-pop' })).toBeInTheDocument();
  });

  it('opens a song from its row, remembering the list to go back to', async () => {
    stubApi();
    const { user } = renderWithProviders(<SongBrowserPage />, { route: '/?q=so' });
    await screen.findByRole('table');

    await user.click(within(rows()[0]).getByText('Kind of Blue'));

    expect(window.location.pathname).toBe('/songs/s3');
    expect(window.history.state).toEqual({ from: '/?q=so' });
  });
});
