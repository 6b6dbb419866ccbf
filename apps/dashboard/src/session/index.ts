export {
  SESSION_EXPIRED_MESSAGE,
  SESSION_STORAGE_KEY,
  type Session,
  type SessionUser,
  SessionStore,
  sessionStore,
} from './session-store';
export { useSession, useSessionNotice } from './use-session';
export { expireSession, safeNext, SIGN_IN_PATH, signInPath } from './expire-session';
