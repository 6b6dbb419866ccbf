import { screen } from '@testing-library/react';
import { renderWithProviders } from '../../../test/render';
import { json, never, songDto, stubApi } from '../../../test/fake-api';
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
