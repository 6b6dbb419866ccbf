/**
 * Account name and password rules, shared by registration and by the admin account configured at start-up.
 * Plain functions (no Nest) so that `config/` can check ENCORE_ADMIN_USER / ENCORE_ADMIN_PASSWORD with them.
 */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const USERNAME_RULE = 'must be 3 to 32 characters of a-z, 0-9, _ . -';
export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work a single login can cause (scrypt input) and rejects pasted garbage. */
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_RULE = `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters with at least one letter and one digit, and differ from the username`;

/** Usernames are case-insensitive: stored and compared lower-cased, surrounding spaces dropped. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Why a (normalised) username is not acceptable, or `undefined` when it is. */
export function usernameProblem(username: string): string | undefined {
  return USERNAME_PATTERN.test(username) ? undefined : USERNAME_RULE;
}

/** Why a password is not acceptable for this (normalised) username, or `undefined` when it is. */
export function passwordProblem(password: string, username: string): string | undefined {
  const ok =
    password.length >= PASSWORD_MIN_LENGTH &&
    password.length <= PASSWORD_MAX_LENGTH &&
    /\p{L}/u.test(password) &&
    /\p{Nd}/u.test(password) &&
    password.trim().toLowerCase() !== username;
  return ok ? undefined : PASSWORD_RULE;
}
