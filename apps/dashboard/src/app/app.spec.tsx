import { act } from 'react';
import { screen } from '@testing-library/react';
import { navigate } from '../router';
import { renderWithProviders } from '../test/render';
import { stubApi } from '../test/fake-api';
import { App } from './app';

describe('App', () => {
  it('shows the Encore header and the song browser at /', async () => {
    stubApi();
    renderWithProviders(<App />);
    expect(screen.getByRole('link', { name: 'Encore home' })).toHaveAttribute('href', '/');
    expect(screen.getByRole('heading', { level: 1, name: 'Browse songs' })).toBeInTheDocument();
    expect(await screen.findByText('1,234 songs')).toBeInTheDocument();
  });

  it('routes /songs/:id to the song, and back to the list', async () => {
    stubApi();
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByRole('link', { name: 'Hallelujah' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Hallelujah' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/songs/s2');

    await user.click(screen.getByRole('link', { name: /back to songs/i }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Browse songs' })).toBeInTheDocument();
  });

  it('answers unknown paths with a not-found page', () => {
    stubApi();
    renderWithProviders(<App />, { route: '/nowhere' });
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    act(() => navigate('/'));
    expect(screen.getByRole('heading', { name: 'Browse songs' })).toBeInTheDocument();
  });
});
