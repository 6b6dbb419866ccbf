/**
 * A deliberately tiny router over the History API: the dashboard needs two routes and shareable
 * search params, not a routing framework. Components read the location through `useLocation`,
 * which subscribes with useSyncExternalStore so every reader sees the same snapshot.
 */
export interface AppLocation {
  pathname: string;
  search: string;
  state: unknown;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

const listeners = new Set<() => void>();
let snapshot: AppLocation = { pathname: '/', search: '', state: null };

function notify(): void {
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

/** Returns the same object until the location really changes, as useSyncExternalStore requires. */
export function getLocation(): AppLocation {
  const { pathname, search } = window.location;
  const state: unknown = window.history.state;
  if (pathname !== snapshot.pathname || search !== snapshot.search || state !== snapshot.state) {
    snapshot = { pathname, search, state };
  }
  return snapshot;
}

export function navigate(to: string, { replace = false, state = null }: NavigateOptions = {}): void {
  if (replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  notify();
}

/** Matches `/songs/:id`-style patterns; returns the decoded params or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (segment !== got[i]) return null;
  }
  return params;
}
