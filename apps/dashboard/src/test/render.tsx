import type { ReactElement } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createQueryClient } from '../app/query-client';

/**
 * Renders with a fresh, non-retrying QueryClient at the given URL, so tests share no cache and fail fast.
 * It is the app's own client otherwise, so a 401 ends the session exactly as in the browser; staleTime 0 makes
 * every mount ask the fake API again, so tests see each request the UI needs.
 */
export function renderWithProviders(
  ui: ReactElement,
  { route = '/', state = null }: { route?: string; state?: unknown } = {},
) {
  window.history.replaceState(state, '', route);
  const client = createQueryClient({ queries: { retry: false, staleTime: 0 } });
  const user = userEvent.setup();
  const view = render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return { ...view, client, user };
}
