import { navigate } from '../router';
import { SESSION_EXPIRED_MESSAGE, sessionStore } from './session-store';

export const SIGN_IN_PATH = '/sign-in';

/** `/sign-in?next=<where you were>`, so signing in again returns you there. */
export function signInPath(next?: string): string {
  return next && next !== '/' && !next.startsWith(SIGN_IN_PATH)
    ? `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`
    : SIGN_IN_PATH;
}

/** Only same-app paths: `next` comes from the URL and must never become an open redirect. */
export function safeNext(next: string | null, fallback: string): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/**
 * A call was refused with 401 while signed in: the token expired or was revoked. Drop the session
 * and send the listener to sign in again, keeping the page they were on.
 */
export function expireSession(): void {
  if (!sessionStore.get()) return;
  sessionStore.end(SESSION_EXPIRED_MESSAGE);
  const { pathname, search } = window.location;
  navigate(signInPath(`${pathname}${search}`), { replace: true });
}
