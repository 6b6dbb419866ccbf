import type { CurrentUserDto } from '@encore/api-contract';
import { SESSION_EXPIRED_MESSAGE, SESSION_STORAGE_KEY, SessionStore } from './session-store';

const alice: CurrentUserDto = { id: 'u1', username: 'alice', role: 'listener', createdAt: '2026-11-01T00:00:00Z' };
const token = { accessToken: 'jwt-1', tokenType: 'Bearer' as const, expiresIn: 60 };

describe('SessionStore', () => {
  it('keeps the session in sessionStorage, so a reload (a new store) restores it', () => {
    const first = new SessionStore(() => 1_000);
    const listener = vi.fn();
    first.subscribe(listener);

    const session = first.start(token, alice);

    expect(session).toEqual({
      token: 'jwt-1',
      expiresAt: 61_000,
      user: { id: 'u1', username: 'alice', role: 'listener' },
    });
    expect(listener).toHaveBeenCalledTimes(1);
    const reloaded = new SessionStore(() => 2_000);
    expect(reloaded.get()).toEqual(session);
    expect(reloaded.getToken()).toBe('jwt-1');
    // Same object until it changes, as useSyncExternalStore requires.
    expect(reloaded.get()).toBe(reloaded.get());
  });

  it('drops a stored session that has expired and says why', () => {
    new SessionStore(() => 0).start(token, alice);

    const later = new SessionStore(() => 60_000);

    expect(later.get()).toBeNull();
    expect(later.getNotice()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('ignores storage that does not hold a session', () => {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, '{"token":42}');
    expect(new SessionStore().get()).toBeNull();
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, 'not json');
    expect(new SessionStore().get()).toBeNull();
  });

  it('ends with an optional notice, cleared once read', () => {
    const store = new SessionStore(() => 0);
    store.start(token, alice);

    store.end(SESSION_EXPIRED_MESSAGE);

    expect(store.get()).toBeNull();
    expect(store.getNotice()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    store.clearNotice();
    expect(store.getNotice()).toBeNull();
  });
});
