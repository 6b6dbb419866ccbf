/** The username belongs to another account. The API maps it to 409. */
export class UsernameTakenError extends Error {
  override readonly name = 'UsernameTakenError';
  constructor(readonly username: string) {
    super(`username ${JSON.stringify(username)} is already taken`);
  }
}

/**
 * The database cannot be reached or is overloaded; nothing was written. The API maps it to 503 with a
 * `Retry-After` of `retryAfterSeconds`.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A value the caller passed is malformed (bad event, cursor, limit…). The API maps it to 400. */
export class InvalidInteractionInputError extends RangeError {
  override readonly name = 'InvalidInteractionInputError';
}

/** Node socket and DNS error codes that mean the database server could not be reached (nothing was written). */
export const NETWORK_ERROR_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
];
