import { screen, waitFor } from '@testing-library/react';
import { SESSION_STORAGE_KEY, sessionStore } from '../session';
import { errorBody, json, recommendations, SONGS, signIn, stubApi, TOKEN } from '../test/fake-api';
import { renderWithProviders } from '../test/render';
import { App } from './app';

describe('session expiry', () => {
  it('a 401 from any call ends the session and asks to sign in again, coming back afterwards', async () => {
    signIn();
    let expired = true;
    stubApi({
      '/v1/users/u1/recommendations': () =>
        expired ? json(errorBody(401, 'token expired'), 401) : json(recommendations(SONGS)),
      '/v1/auth/token': () => json(TOKEN),
    });
    const { user } = renderWithProviders(<App />, { route: '/for-you?strategy=cf' });

    expect(await screen.findByText('Your session expired, please sign in again')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/sign-in');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/for-you?strategy=cf');
    expect(sessionStore.get()).toBeNull();
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(screen.queryByRole('link', { name: 'For you' })).not.toBeInTheDocument();

    expired = false;
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'Listener123x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('link', { name: 'Blue Monday' })).toBeInTheDocument();
    expect(`${window.location.pathname}${window.location.search}`).toBe('/for-you?strategy=cf');
  });

  it('sends signed-out visitors of a listener page to sign in, without the expiry message', async () => {
    stubApi();
    renderWithProviders(<App />, { route: '/history' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.search).toBe('?next=%2Fhistory');
    expect(screen.queryByText(/session expired/)).not.toBeInTheDocument();
  });

  it('a 401 on a public page while signed in ends the session too', async () => {
    signIn();
    stubApi({ '/v1/genres': () => json(errorBody(401, 'token revoked'), 401) });
    renderWithProviders(<App />, { route: '/' });

    await waitFor(() => expect(window.location.pathname).toBe('/sign-in'));
    expect(screen.getByText('Your session expired, please sign in again')).toBeInTheDocument();
  });
});
