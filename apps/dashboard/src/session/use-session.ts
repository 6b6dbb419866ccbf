import { useSyncExternalStore } from 'react';
import { type Session, sessionStore } from './session-store';

/** The signed-in listener (token and user), or null; re-renders on sign-in, sign-out and expiry. */
export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}

export function useSessionNotice(): string | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getNotice);
}
