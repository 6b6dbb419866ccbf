import type { AccessTokenDto, CurrentUserDto, UserRoleDto } from '@encore/api-contract';

export interface SessionUser {
  id: string;
  username: string;
  role: UserRoleDto;
}

export interface Session {
  token: string;
  /** Epoch ms; a stored session past it is dropped on load instead of failing its first request. */
  expiresAt: number;
  user: SessionUser;
}

export const SESSION_STORAGE_KEY = 'encore.session';
export const SESSION_EXPIRED_MESSAGE = 'Your session expired, please sign in again';

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Session>;
  const u = v.user as Partial<SessionUser> | undefined;
  return (
    typeof v.token === 'string' &&
    typeof v.expiresAt === 'number' &&
    typeof u?.id === 'string' &&
    typeof u.username === 'string' &&
    (u.role === 'listener' || u.role === 'admin')
  );
}

/** sessionStorage can be missing or throw (private modes, sandboxed frames); the session then lives in memory only. */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The signed-in listener, outside React so the API client can read the token on every request.
 * Kept in memory and mirrored to sessionStorage (per tab, gone when the tab closes) so a reload keeps you signed in.
 */
export class SessionStore {
  private session: Session | null | undefined;
  private notice: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current session (a stable object until it changes, as useSyncExternalStore requires). */
  readonly get = (): Session | null => {
    if (this.session === undefined) this.session = this.load();
    return this.session;
  };

  readonly getToken = (): string | null => this.get()?.token ?? null;

  /** A one-line message for the sign-in page ("Your session expired…"), or null. */
  readonly getNotice = (): string | null => {
    this.get();
    return this.notice;
  };

  start(token: AccessTokenDto, user: CurrentUserDto): Session {
    const session: Session = {
      token: token.accessToken,
      expiresAt: this.now() + token.expiresIn * 1000,
      user: { id: user.id, username: user.username, role: user.role },
    };
    this.session = session;
    this.notice = null;
    try {
      storage()?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Quota or privacy settings: staying signed in for this page view is still fine.
    }
    this.notify();
    return session;
  }

  /** Signs out; `notice` is shown on the sign-in page (e.g. the expiry message). */
  end(notice: string | null = null): void {
    this.session = null;
    this.notice = notice;
    try {
      storage()?.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Nothing stored to remove.
    }
    this.notify();
  }

  clearNotice(): void {
    if (this.notice === null) return;
    this.notice = null;
    this.notify();
  }

  /** Forget everything, including the in-memory copy, so the next read loads from storage again (tests). */
  reset(): void {
    this.session = undefined;
    this.notice = null;
    this.notify();
  }

  private load(): Session | null {
    let parsed: unknown;
    try {
      const raw = storage()?.getItem(SESSION_STORAGE_KEY);
      parsed = raw ? JSON.parse(raw) : null;
    } catch {
      parsed = null;
    }
    if (!isSession(parsed)) return null;
    if (parsed.expiresAt <= this.now()) {
      try {
        storage()?.removeItem(SESSION_STORAGE_KEY);
      } catch {
        // Dropped from memory either way.
      }
      this.notice = SESSION_EXPIRED_MESSAGE;
      return null;
    }
    return parsed;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const sessionStore = new SessionStore();
