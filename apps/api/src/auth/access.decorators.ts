import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from '@encore/interaction-store';
import type { Environment } from '../config/environment';

export const PUBLIC_ROUTE = 'encore:public';
export const REQUIRED_ROLES = 'encore:roles';
export const CREDENTIALS_ROUTE = 'encore:credentials';

/** The signed-in caller, as the JWT guard attaches it to the request. */
export interface AuthenticatedUser {
  id: string;
  username: string;
  role: UserRole;
}

export type RequestWithUser = { user?: AuthenticatedUser };

/** Boolean config variables that can make a route public. */
export type PublicSwitch = {
  [K in keyof Environment]: Environment[K] extends boolean | undefined ? K : never;
}[keyof Environment];

/**
 * No token needed (the global JwtAuthGuard lets the request through; a valid token, if sent, still identifies the
 * caller for rate limiting). With a config variable name, the route is public only while that variable is true.
 */
export const Public = (when?: PublicSwitch) => SetMetadata(PUBLIC_ROUTE, when ?? true);

/** Only callers with one of these roles (403 otherwise). */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Register / token: an extra, stricter per-IP rate limit against password guessing. */
export const CredentialsRoute = () => SetMetadata(CREDENTIALS_ROUTE, true);

/** The authenticated caller of a non-public route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw new Error('@CurrentUser() used on a route without an authenticated user');
  return user;
});
