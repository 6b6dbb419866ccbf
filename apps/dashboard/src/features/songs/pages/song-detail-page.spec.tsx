import { screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders } from '../../../test/render';
import {
  deferredResponse,
  errorBody,
  json,
  never,
  recommendations,
  SONGS,
  signIn,
  songDto,
  stubApi,
} from '../../../test/fake-api';
import { SongDetailPage } from './song-detail-page';

const song = songDto({
  id: 'abc',
  name: 'Teardrop',
  artists: ['Massive Attack', 'Elizabeth Fraser'],
  album: 'Mezzanine',
  genres: ['trip-hop', 'electronic'],
  popularity: 64,
  durationMs: 330_000,
  explicit: true,
  features: {
    danceability: 0.62,
    energy: 0.3,
    key: 1,
    loudness: -15,
    mode: 0,
    speechiness: 0.03,
    acousticness: 0.04,
    instrumentalness: 0.51,
    liveness: 0.12,
    valence: 0.15,
    tempo: 77.4,
    timeSignature: 4,
  },
});

describe('SongDetailPage', () => {
  it('shows a skeleton while the song loads', () => {
    stubApi({ '/v1/songs/': never });
    renderWithProviders(<SongDetailPage id="abc" />);
    expect(screen.getByRole('status', { name: 'Loading the song' })).toBeInTheDocument();
  });

  it('renders the song and its audio features as meters', async () => {
    const api = stubApi({ '/v1/songs/abc': () => json(song) });
    renderWithProviders(<SongDetailPage id="abc" />);

    const title = await screen.findByRole('heading', { level: 1, name: 'Teardrop' });
    expect(title).toHaveFocus();
    expect(api.requests('/v1/songs/abc')).toHaveLength(1);
    expect(screen.getByText('Massive Attack, Elizabeth Fraser')).toBeInTheDocument();
    expect(screen.getByText('Mezzanine')).toBeInTheDocument();
    expect(screen.getByText('trip-hop')).toBeInTheDocument();
    expect(screen.getByText('electronic')).toBeInTheDocument();
    expect(screen.getByText('Explicit')).toBeInTheDocument();
    expect(screen.getByLabelText('Popularity 64 of 100')).toHaveTextContent('64');
    expect(screen.getByText('5:30')).toBeInTheDocument();
    expect(screen.getByText('C♯ minor')).toBeInTheDocument();

    const energy = screen.getByRole('meter', { name: 'Energy' });
    expect(energy).toHaveAttribute('aria-valuenow', '0.3');
    expect(energy).toHaveAttribute('aria-valuetext', '30%');
    expect(energy.firstElementChild).toHaveStyle({ width: '30.0%' });
    // -15 dB on a -60…0 dB scale is three quarters full.
    const loudness = screen.getByRole('meter', { name: 'Loudness' });
    expect(loudness).toHaveAttribute('aria-valuetext', '-15.0 dB');
    expect(loudness.firstElementChild).toHaveStyle({ width: '75.0%' });
    expect(screen.getByRole('meter', { name: 'Tempo' })).toHaveAttribute('aria-valuetext', '77 BPM');
    expect(screen.getAllByRole('meter')).toHaveLength(9);
    expect(document.title).toBe('Teardrop · Encore');
  });

  it('says the song is not in the catalog on a 404', async () => {
    stubApi();
    renderWithProviders(<SongDetailPage id="missing" />);
    expect(await screen.findByText('This song is not in the catalog.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('links back to the list it came from, and only to in-app paths', () => {
    stubApi({ '/v1/songs/': never });
    const { unmount } = renderWithProviders(<SongDetailPage id="abc" />, {
      route: '/songs/abc',
      state: { from: '/?q=tear&page=2' },
    });
    expect(screen.getByRole('link', { name: /back to songs/i })).toHaveAttribute('href', '/?q=tear&page=2');
    unmount();

    renderWithProviders(<SongDetailPage id="abc" />, { route: '/songs/abc', state: { from: '//evil.example' } });
    expect(screen.getByRole('link', { name: /back to songs/i })).toHaveAttribute('href', '/');
  });
});

describe('SongDetailPage similar songs and feedback', () => {
  const similar = recommendations(SONGS.slice(1, 3), {
    source: 'content',
    text: 'Sounds like Blue Monday',
    seedSongId: 's1',
  });

  it('lists similar songs with their reasons, and invites a signed-out visitor to sign in', async () => {
    const api = stubApi({ '/v1/songs/s1/similar': () => json(similar) });
    renderWithProviders(<SongDetailPage id="s1" />, { route: '/songs/s1' });

    const section = (await screen.findByRole('heading', { name: 'Similar songs' })).closest('section') as HTMLElement;
    const items = await within(section).findAllByRole('listitem');
    expect(items.map((li) => within(li).getByRole('link').textContent)).toEqual(['Hallelujah', 'So What']);
    expect(within(items[0]).getByText('Sounds like Blue Monday')).toBeInTheDocument();
    expect(within(items[0]).getByRole('link')).toHaveAttribute('href', '/songs/s2');
    expect(api.last('/v1/songs/s1/similar').searchParams.get('k')).toBe('8');

    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in?next=%2Fsongs%2Fs1');
    expect(screen.queryByRole('button', { name: /^Like/ })).not.toBeInTheDocument();
  });

  it('says when a song has no look-alikes, and shows an error with a retry', async () => {
    let answer = () => json(errorBody(503, 'recommendations are unavailable'), 503);
    stubApi({ '/v1/songs/s1/similar': () => answer() });
    const { user } = renderWithProviders(<SongDetailPage id="s1" />, { route: '/songs/s1' });

    expect(await screen.findByText('Couldn’t load similar songs')).toBeInTheDocument();
    answer = () => json(recommendations([]));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No look-alikes for this song yet.')).toBeInTheDocument();
  });

  it('likes and plays the song, and likes a similar one, when signed in', async () => {
    signIn();
    const pending = deferredResponse();
    let first = true;
    const api = stubApi({
      '/v1/songs/s1/similar': () => json(similar),
      '/v1/users/u1/interactions': () => {
        if (!first) return json({ accepted: 1, duplicates: 0 }, 201);
        first = false;
        return pending.promise;
      },
    });
    const { user } = renderWithProviders(<SongDetailPage id="s1" />, { route: '/songs/s1' });
    await screen.findByRole('heading', { level: 1, name: 'Blue Monday' });

    await user.click(screen.getByRole('button', { name: 'Like Blue Monday' }));
    // Shown as liked before the API answers.
    expect(screen.getByRole('button', { name: 'Liked Blue Monday' })).toHaveAttribute('aria-pressed', 'true');
    pending.resolve(json({ accepted: 1, duplicates: 0 }, 201));

    await user.click(screen.getByRole('button', { name: 'Play Blue Monday' }));
    await user.click(await screen.findByRole('button', { name: 'Like Hallelujah' }));

    await waitFor(() => expect(api.calls('/v1/users/u1/interactions')).toHaveLength(3));
    expect(await screen.findByRole('button', { name: 'Liked Hallelujah' })).toBeDisabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.calls('/v1/users/u1/interactions').map((c) => c.body)).toEqual([
      { events: [{ songId: 's1', event: 'like' }] },
      { events: [{ songId: 's1', event: 'play' }] },
      { events: [{ songId: 's2', event: 'like' }] },
    ]);
    expect(screen.getByRole('button', { name: 'Played Blue Monday' })).toBeDisabled();
  });

  it('releases the Like button when the API refuses it', async () => {
    signIn();
    stubApi({ '/v1/users/u1/interactions': () => json(errorBody(503, 'interaction store unavailable'), 503) });
    const { user } = renderWithProviders(<SongDetailPage id="s1" />, { route: '/songs/s1' });

    await user.click(await screen.findByRole('button', { name: 'Like Blue Monday' }));

    expect(await screen.findByText('Couldn’t save your like: interaction store unavailable')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Like Blue Monday' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('marks the catalog average on each feature bar, estimated from a sample of songs', async () => {
    const api = stubApi({ '/v1/songs/abc': () => json(song) });
    renderWithProviders(<SongDetailPage id="abc" />);

    expect(await screen.findByText(/Catalog average, estimated from 4 songs/)).toBeInTheDocument();
    // Every fixture song has energy 0.5 (default) → the tick sits at half the bar.
    const energy = screen.getByRole('meter', { name: 'Energy' });
    expect(energy.children[1]).toHaveStyle({ left: '50.0%' });
    expect(energy.children[1]).toHaveAttribute('title', 'Catalog average 50%');
    expect(api.last('/v1/songs').searchParams.get('sort')).toBe('name');
    expect(api.last('/v1/songs').searchParams.get('limit')).toBe('100');
  });
});
