import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * 2^15 × 8 × 128 B = 32 MiB and about 0.1 s per hash on a small server core: slow enough to make offline guessing
 * expensive, fast enough that logins stay responsive (scrypt runs on libuv's thread pool, not the event loop).
 * The parameters are stored with each hash, so they can be raised later (PASSWORD_HASH_COST) without invalidating
 * existing accounts.
 */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

function derive(password: string, salt: Buffer, params: ScryptParameters, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Salted scrypt hashes stored as `scrypt$N$r$p$<salt>$<hash>` (base64url). A plain class, built by a factory provider. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly params: ScryptParameters = DEFAULT_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.params, KEY_LENGTH);
    const { N, r, p } = this.params;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const match = FORMAT.exec(stored);
    if (!match) return false;
    const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) return false;
    const expected = Buffer.from(match[5], 'base64url');
    const actual = await derive(password, Buffer.from(match[4], 'base64url'), { N, r, p }, expected.length);
    return timingSafeEqual(actual, expected);
  }

  /**
   * Spends the same time as a real check, for logins naming an unknown user, so response time does not reveal
   * which usernames exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(18).toString('base64url'));
    await this.verify(password, await this.dummy);
    return false;
  }
}
