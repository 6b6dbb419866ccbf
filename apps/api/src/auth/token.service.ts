import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import type { UserRecord, UserRole } from '@encore/interaction-store';
import type { Environment } from '../config/environment';

export const TOKEN_ISSUER = 'encore';
export const TOKEN_ALGORITHM = 'HS256';

/** What an access token carries: the account, its role when issued, and its token version (revocation). */
export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  tv: number;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Why a token was refused; the guard turns it into a 401 with this message. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Verified tokens remembered (oldest dropped first); a listener's devices reuse one token for its whole lifetime. */
const MAX_VERIFIED_TOKENS = 10_000;

interface VerifiedToken {
  claims: AccessTokenClaims;
  /** `exp` claim, epoch seconds. */
  expiresAt: number;
}

@Injectable()
export class TokenService {
  /**
   * A token's signature, issuer and claims never change, so a string that verified once verifies again until it
   * expires: only the expiry is re-checked. Saves the HMAC and two JSON parses on every request of a session;
   * revocation is unaffected (the guard checks the account's token version on every request).
   */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  issue(user: UserRecord): IssuedToken {
    const expiresIn = this.config.get('JWT_EXPIRES_IN_SECONDS', { infer: true });
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, tv: user.tokenVersion };
    const accessToken = this.jwt.sign(claims, { algorithm: TOKEN_ALGORITHM, expiresIn, issuer: TOKEN_ISSUER });
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Checks the signature, expiry and issuer. The header is inspected first so that `alg: none` and every other
   * algorithm (RS256 with the HMAC key as "public key", HS512…) are refused by name, not only by the library's
   * allow-list.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      // The same rule as jsonwebtoken: expired from the `exp` second on.
      if (Math.floor(Date.now() / 1000) < known.expiresAt) return known.claims;
      this.verified.delete(token);
    }
    return this.verifyFully(token);
  }

  private async verifyFully(token: string): Promise<AccessTokenClaims> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
      throw new InvalidTokenError('malformed token');
    }
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    } catch {
      throw new InvalidTokenError('malformed token');
    }
    const alg = (header as { alg?: unknown } | null)?.alg;
    if (alg !== TOKEN_ALGORITHM) throw new InvalidTokenError(`token algorithm ${JSON.stringify(alg)} is not accepted`);
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
      });
    } catch (error) {
      throw new InvalidTokenError(error instanceof TokenExpiredError ? 'token expired' : 'invalid token');
    }
    const { sub, role, tv, exp } = claims;
    if (typeof sub !== 'string' || (role !== 'listener' && role !== 'admin') || !Number.isSafeInteger(tv)) {
      throw new InvalidTokenError('invalid token');
    }
    const verified = Object.freeze({ sub, role, tv: tv as number });
    // Tokens without an expiry are never issued here; such a token is verified every time rather than remembered.
    if (typeof exp === 'number') {
      this.verified.set(token, { claims: verified, expiresAt: exp });
      if (this.verified.size > MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    }
    return verified;
  }
}
