import { screen, waitFor } from '@testing-library/react';
import { sessionStore, SESSION_STORAGE_KEY } from '../../../session';
import { errorBody, json, LISTENER, stubApi, TOKEN } from '../../../test/fake-api';
import { renderWithProviders } from '../../../test/render';
import { AuthPage } from './auth-page';

const username = () => screen.getByLabelText('Username');
const password = () => screen.getByLabelText('Password');

describe('AuthPage (sign in)', () => {
  it('asks for both fields before calling the API, and clears a message as you fix it', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<AuthPage mode="sign-in" />, { route: '/sign-in' });

    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(screen.getByText('Enter your username')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(username()).toHaveAttribute('aria-invalid', 'true');
    expect(username()).toHaveAccessibleDescription('Enter your username');
    expect(username()).toHaveFocus();
    expect(api.calls('/v1/auth/token')).toHaveLength(0);

    await user.type(username(), 'alice');
    expect(screen.queryByText('Enter your username')).not.toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
  });

  it('shows the API’s message when the credentials are refused, without ending any session', async () => {
    stubApi({ '/v1/auth/token': () => json(errorBody(401, 'invalid username or password'), 401) });
    const { user } = renderWithProviders(<AuthPage mode="sign-in" />, { route: '/sign-in' });

    await user.type(username(), 'alice');
    await user.type(password(), 'wrong-password-1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t sign you in. Invalid username or password');
    expect(screen.queryByText(/session expired/i)).not.toBeInTheDocument();
    expect(window.location.pathname).toBe('/sign-in');
    expect(sessionStore.get()).toBeNull();
  });

  it('signs in, keeps the token for this tab and goes to the page that asked for it', async () => {
    const api = stubApi({ '/v1/auth/token': () => json(TOKEN) });
    const { user } = renderWithProviders(<AuthPage mode="sign-in" />, { route: '/sign-in?next=%2Fhistory' });

    await user.type(username(), '  Alice ');
    await user.type(password(), 'Listener123x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(window.location.pathname).toBe('/history'));
    expect(api.calls('/v1/auth/token')[0]).toMatchObject({
      method: 'POST',
      body: { username: 'alice', password: 'Listener123x' },
    });
    // The id and role come from /v1/auth/me, asked with the new token.
    expect(api.calls('/v1/auth/me')[0].headers['authorization']).toBe('Bearer jwt-test');
    expect(sessionStore.get()?.user).toEqual({ id: 'u1', username: 'alice', role: 'listener' });
    expect(JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? '{}')).toMatchObject({
      token: 'jwt-test',
      user: { id: LISTENER.id },
    });
  });

  it('never follows a next parameter off the app', async () => {
    stubApi({ '/v1/auth/token': () => json(TOKEN) });
    const { user } = renderWithProviders(<AuthPage mode="sign-in" />, { route: '/sign-in?next=//evil.example' });
    await user.type(username(), 'alice');
    await user.type(password(), 'Listener123x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(window.location.pathname).toBe('/for-you'));
  });
});

describe('AuthPage (register)', () => {
  it('checks the account rules before sending anything', async () => {
    const api = stubApi();
    const { user } = renderWithProviders(<AuthPage mode="register" />, { route: '/register' });

    await user.type(username(), 'al');
    await user.type(password(), 'short1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Use 3–32 characters: letters, digits, _ . -')).toBeInTheDocument();
    expect(screen.getByText('Use at least 10 characters')).toBeInTheDocument();

    await user.clear(username());
    await user.type(username(), 'alice');
    await user.clear(password());
    await user.type(password(), 'onlyletters');
    expect(screen.getByText('Use at least one letter and one digit')).toBeInTheDocument();
    await user.clear(password());
    await user.type(password(), 'alice');
    await user.type(password(), '12345');
    expect(screen.queryByText(/use at least/i)).not.toBeInTheDocument();
    await user.type(username(), '12345');
    expect(screen.getByText('Choose a password other than your username')).toBeInTheDocument();
    expect(api.calls('/v1/auth/register')).toHaveLength(0);
  });

  it('puts the API’s field errors under the field they name', async () => {
    stubApi({
      '/v1/auth/register': () =>
        json(
          {
            ...errorBody(409, 'username alice is taken'),
            details: [{ field: 'username', message: 'username alice is taken' }],
          },
          409,
        ),
    });
    const { user } = renderWithProviders(<AuthPage mode="register" />, { route: '/register' });

    await user.type(username(), 'alice');
    await user.type(password(), 'Listener123x');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('username alice is taken')).toBeInTheDocument();
    expect(username()).toHaveAttribute('aria-invalid', 'true');
    expect(username()).toHaveFocus();
  });

  it('registers, then signs the new listener in', async () => {
    const api = stubApi({
      '/v1/auth/register': () => json({ id: 'u1', username: 'alice' }, 201),
      '/v1/auth/token': () => json(TOKEN),
    });
    const { user } = renderWithProviders(<AuthPage mode="register" />, { route: '/register' });

    await user.type(username(), 'alice');
    await user.type(password(), 'Listener123x');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() => expect(window.location.pathname).toBe('/for-you'));
    expect(api.calls('/v1/auth/register')[0].body).toEqual({ username: 'alice', password: 'Listener123x' });
    expect(api.calls('/v1/auth/token')).toHaveLength(1);
    expect(sessionStore.getToken()).toBe('jwt-test');
  });
});
