import type { FieldError } from '@encore/api-contract';

export type AuthMode = 'sign-in' | 'register';
export type CredentialField = 'username' | 'password';
export type CredentialErrors = Partial<Record<CredentialField, string>>;

// The API's rules (apps/api credential-policy), checked here too so the form answers before a round trip.
export const USERNAME_HINT = '3–32 characters: letters, digits, _ . -';
export const PASSWORD_HINT = 'At least 10 characters with a letter and a digit';
const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;

/** Usernames are case-insensitive; the API stores them trimmed and lower-cased. */
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

/** Field problems for the form, or an empty object. Sign-in only needs both fields filled in. */
export function validateCredentials(mode: AuthMode, username: string, password: string): CredentialErrors {
  const errors: CredentialErrors = {};
  const name = normaliseUsername(username);
  if (name === '') errors.username = 'Enter your username';
  else if (mode === 'register' && !USERNAME_PATTERN.test(name)) errors.username = `Use ${USERNAME_HINT}`;

  if (password === '') errors.password = 'Enter your password';
  else if (mode === 'register') {
    if (password.length < 10) errors.password = 'Use at least 10 characters';
    else if (password.length > 128) errors.password = 'Use at most 128 characters';
    else if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password))
      errors.password = 'Use at least one letter and one digit';
    else if (password.trim().toLowerCase() === name) errors.password = 'Choose a password other than your username';
  }
  return errors;
}

/** The API names bad fields in `details`; put each message under its input. */
export function fieldErrorsFrom(details: readonly FieldError[]): CredentialErrors {
  const errors: CredentialErrors = {};
  for (const { field, message } of details) {
    if ((field === 'username' || field === 'password') && !errors[field]) errors[field] = message;
  }
  return errors;
}
