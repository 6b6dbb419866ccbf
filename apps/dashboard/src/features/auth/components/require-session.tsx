import { type ReactNode, useEffect } from 'react';
import type { UserRoleDto } from '@encore/api-contract';
import { Link, navigate, useLocation } from '../../../router';
import { type Session, signInPath, useSession } from '../../../session';

export interface RequireSessionProps {
  /** Only this role may see the page; others get a short explanation, not a redirect loop. */
  role?: UserRoleDto;
  children: ReactNode | ((session: Session) => ReactNode);
}

/** Pages for signed-in listeners: without a session, go to sign-in and come back here afterwards. */
export function RequireSession({ role, children }: RequireSessionProps) {
  const session = useSession();
  const { pathname, search } = useLocation();

  useEffect(() => {
    if (!session) navigate(signInPath(`${pathname}${search}`), { replace: true });
  }, [session, pathname, search]);

  if (!session) return null;
  if (role && session.user.role !== role) {
    return (
      <section className="page">
        <h1>Admins only</h1>
        <p>
          You are signed in as <strong>{session.user.username}</strong>, which is a {session.user.role} account.{' '}
          <Link to="/for-you">Back to For you</Link>
        </p>
      </section>
    );
  }
  return <>{typeof children === 'function' ? children(session) : children}</>;
}
