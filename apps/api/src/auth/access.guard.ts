import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@encore/interaction-store';
import type { Environment } from '../config/environment';
import { REQUIRED_ROLES, type RequestWithUser } from './access.decorators';
import { isPublicRoute } from './jwt-auth.guard';

/** Routes under `/v1/users/:id` belong to that user: only the owner or an admin may call them. */
export const USER_SCOPED_ROUTE = /^\/v1\/users\/:id(\/|$)/;

type RoutedRequest = RequestWithUser & {
  route?: { path?: unknown };
  baseUrl?: string;
  params?: Record<string, string>;
};

/**
 * Global guard, after authentication and rate limiting: `@Roles(...)` and the owner rule for every route whose
 * path starts with `/v1/users/:id` (applied by path so that a feature module cannot forget it).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || isPublicRoute(this.reflector, this.config, context)) return true;
    const req = context.switchToHttp().getRequest<RoutedRequest>();
    const user = req.user;
    if (!user) throw new ForbiddenException('not signed in');
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(user.role)) throw new ForbiddenException(`requires the ${roles.join(' or ')} role`);
    const path = `${req.baseUrl ?? ''}${typeof req.route?.path === 'string' ? req.route.path : ''}`;
    if (USER_SCOPED_ROUTE.test(path) && user.role !== 'admin' && req.params?.['id'] !== user.id) {
      throw new ForbiddenException("only the account's owner or an admin may access it");
    }
    return true;
  }
}
