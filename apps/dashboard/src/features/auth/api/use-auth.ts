import { useMutation } from '@tanstack/react-query';
import type { CredentialsRequest } from '@encore/api-contract';
import { api } from '../../../api/client';
import { CREDENTIALS_META } from '../../../app/query-client';
import { navigate } from '../../../router';
import { type Session, sessionStore } from '../../../session';

/** Token first, then who it belongs to (id and role), then the session starts. */
async function startSession(credentials: CredentialsRequest): Promise<Session> {
  const token = await api.auth.token(credentials);
  const user = await api.auth.me({ token: token.accessToken });
  return sessionStore.start(token, user);
}

export const useSignIn = () =>
  useMutation({
    mutationKey: ['auth', 'sign-in'],
    mutationFn: startSession,
    meta: CREDENTIALS_META,
  });

/** Registering signs the new listener straight in. */
export const useRegister = () =>
  useMutation({
    mutationKey: ['auth', 'register'],
    mutationFn: async (credentials: CredentialsRequest) => {
      await api.auth.register(credentials);
      return startSession(credentials);
    },
    meta: CREDENTIALS_META,
  });

/**
 * Signs out on this device: the token is forgotten (POST /v1/auth/logout would revoke every device's tokens,
 * which is not what "sign out" means here). The app drops the listener's cached data when the session changes.
 */
export function signOut(): void {
  sessionStore.end();
  navigate('/');
}
