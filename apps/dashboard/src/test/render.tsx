import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/** Renders with a fresh, non-retrying QueryClient at the given URL, so tests share no cache and fail fast. */
export function renderWithProviders(
  ui: ReactElement,
  { route = '/', state = null }: { route?: string; state?: unknown } = {},
) {
  window.history.replaceState(state, '', route);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const user = userEvent.setup();
  const view = render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return { ...view, client, user };
}
