import { screen, within } from '@testing-library/react';
import { sessionStore } from '../session';
import { signIn, stubApi } from '../test/fake-api';
import { renderWithProviders } from '../test/render';
import { App } from './app';

const nav = () => screen.getByRole('navigation', { name: 'Main' });

describe('navigation', () => {
  it('offers Songs and Sign in to visitors', () => {
    stubApi();
    renderWithProviders(<App />, { route: '/songs/s1' });
    expect(
      within(nav())
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Songs']);
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in?next=%2Fsongs%2Fs1');
  });

  it('adds For you and History for a listener, marks the current page, and signs out', async () => {
    signIn();
    stubApi();
    const { user } = renderWithProviders(<App />, { route: '/' });

    expect(
      within(nav())
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Songs', 'For you', 'History']);
    expect(screen.getByText('alice')).toBeInTheDocument();

    await user.click(within(nav()).getByRole('link', { name: 'For you' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'For you' })).toBeInTheDocument();
    expect(within(nav()).getByRole('link', { name: 'For you' })).toHaveAttribute('aria-current', 'page');

    await user.click(within(nav()).getByRole('link', { name: 'History' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'History' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(sessionStore.get()).toBeNull();
    expect(window.location.pathname).toBe('/');
    expect(
      within(nav())
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Songs']);
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('drops the previous account’s cached lists on sign-out', async () => {
    signIn();
    stubApi();
    const { user, client } = renderWithProviders(<App />, { route: '/for-you' });
    await screen.findByRole('list', { name: 'Recommended songs' });
    expect(client.getQueryCache().findAll({ queryKey: ['recommendations'] })).not.toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(client.getQueryCache().findAll({ queryKey: ['recommendations'] })).toHaveLength(0);
  });
});
