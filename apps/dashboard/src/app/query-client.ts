import { type DefaultOptions, type Mutation, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { expireSession } from '../session';

/** Mutations that send credentials (sign-in, register) answer 401 for a wrong password, not for an expired session. */
export const CREDENTIALS_META = { credentials: true } as const;

function onUnauthorized(error: Error, mutation?: Mutation<unknown, unknown, unknown>): void {
  if (!(error instanceof ApiError) || error.status !== 401) return;
  if (mutation?.options.meta?.['credentials']) return;
  expireSession();
}

/**
 * Client errors (4xx) will not fix themselves on retry; network blips and 5xx might. A 401 from any call made
 * while signed in means the token is dead: the session ends and the listener is sent to sign in again.
 */
export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onUnauthorized(error) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onUnauthorized(error, mutation),
    }),
    defaultOptions: {
      ...overrides,
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        ...overrides.queries,
      },
    },
  });
}
