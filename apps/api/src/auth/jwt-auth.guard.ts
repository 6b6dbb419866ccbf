import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { InteractionStore } from '@encore/interaction-store';
import type { IncomingMessage } from 'node:http';
import type { Environment } from '../config/environment';
import { type AuthenticatedUser, PUBLIC_ROUTE, type PublicSwitch, type RequestWithUser } from './access.decorators';
import { InvalidTokenError, TokenService } from './token.service';

/** Whether the handler or its controller is marked `@Public()` (a config switch is read now, so it can change per app). */
export function isPublicRoute(
  reflector: Reflector,
  config: ConfigService<Environment, true>,
  context: ExecutionContext,
): boolean {
  const marker = reflector.getAllAndOverride<true | PublicSwitch | undefined>(PUBLIC_ROUTE, [
    context.getHandler(),
    context.getClass(),
  ]);
  if (marker === undefined) return false;
  return marker === true || config.get(marker) === true;
}

/**
 * Global guard, first in line: every route needs `Authorization: Bearer <token>` unless marked `@Public()`.
 * The token must verify (HS256, not expired) and still match the account: a deleted account or a bumped token
 * version (revocation) makes it worthless at once. The role comes from the account, not from the token.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService<Environment, true>,
    private readonly tokens: TokenService,
    @Inject(InteractionStore) private readonly store: InteractionStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<IncomingMessage & RequestWithUser>();
    const token = bearerToken(req);
    if (isPublicRoute(this.reflector, this.config, context)) {
      // A token on a public route only identifies the caller (per-user rate limit); a bad one is ignored.
      if (token !== undefined) req.user = await this.authenticate(token).catch(() => undefined);
      return true;
    }
    if (token === undefined) throw new UnauthorizedException('missing bearer token');
    try {
      req.user = await this.authenticate(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    return true;
  }

  private async authenticate(token: string): Promise<AuthenticatedUser> {
    const claims = await this.tokens.verify(token);
    const user = await this.store.findUserById(claims.sub);
    if (!user || user.tokenVersion !== claims.tv) throw new InvalidTokenError('token revoked');
    return { id: user.id, username: user.username, role: user.role };
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed header is a bad token, not a missing one: say so rather than "missing".
  return match ? match[1] : header;
}
