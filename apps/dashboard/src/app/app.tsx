import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { AdminPage } from '../features/admin/pages/admin-page';
import { adminQueries } from '../features/admin/api/admin-queries';
import { signOut } from '../features/auth/api/use-auth';
import { RequireSession } from '../features/auth/components/require-session';
import { AuthPage } from '../features/auth/pages/auth-page';
import { historyQueries } from '../features/feedback/api/history-queries';
import { HistoryPage } from '../features/feedback/pages/history-page';
import { HealthIndicator } from '../features/health/health-indicator';
import { recommendationQueries } from '../features/recommendations/api/recommendation-queries';
import { ForYouPage } from '../features/recommendations/pages/for-you-page';
import { SongBrowserPage } from '../features/songs/pages/song-browser-page';
import { SongDetailPage } from '../features/songs/pages/song-detail-page';
import { SONG_ROUTE } from '../features/songs/routes';
import { Link, matchPath, useLocation } from '../router';
import { SIGN_IN_PATH, signInPath, useSession } from '../session';
import './app.css';

/** Query keys holding one account's data: dropped when that account signs out or its session ends. */
const ACCOUNT_QUERIES = [recommendationQueries.all(), historyQueries.all(), adminQueries.all()];

function useForgetAccountData(userId: string | null): void {
  const queryClient = useQueryClient();
  const previous = useRef(userId);
  useEffect(() => {
    if (previous.current !== null && previous.current !== userId) {
      for (const queryKey of ACCOUNT_QUERIES) queryClient.removeQueries({ queryKey });
    }
    previous.current = userId;
  }, [userId, queryClient]);
}

/** Route table: each branch is a `matchPath` or a fixed path, and signed-in pages sit behind RequireSession. */
function Routes() {
  const { pathname } = useLocation();

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);

  const song = matchPath(SONG_ROUTE, pathname);
  if (song) return <SongDetailPage key={song['id']} id={song['id']} />;
  switch (pathname) {
    case '/':
    case '/songs':
      return <SongBrowserPage />;
    case SIGN_IN_PATH:
      return <AuthPage key="sign-in" mode="sign-in" />;
    case '/register':
      return <AuthPage key="register" mode="register" />;
    case '/for-you':
      return <RequireSession>{(session) => <ForYouPage user={session.user} />}</RequireSession>;
    case '/history':
      return <RequireSession>{(session) => <HistoryPage key={session.user.id} user={session.user} />}</RequireSession>;
    case '/admin':
      return (
        <RequireSession role="admin">
          <AdminPage />
        </RequireSession>
      );
  }
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{pathname}</code>. <Link to="/">Browse songs</Link>
      </p>
    </section>
  );
}

function NavLink({ to, active, children }: { to: string; active: boolean; children: string }) {
  return (
    <Link to={to} className="app-nav__link" aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function App() {
  const { pathname, search } = useLocation();
  const session = useSession();
  useForgetAccountData(session?.user.id ?? null);
  const onSongs = pathname === '/' || pathname.startsWith('/songs');
  const onAuth = pathname === SIGN_IN_PATH || pathname === '/register';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="brand" aria-label="Encore home">
            <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="9" />
              <path d="M12 22V9l11-2v13" />
              <circle cx="9.5" cy="22" r="3" />
              <circle cx="20.5" cy="20" r="3" />
            </svg>
            <span className="brand__name">Encore</span>
          </Link>
          <nav className="app-nav" aria-label="Main">
            <NavLink to="/" active={onSongs}>
              Songs
            </NavLink>
            {session ? (
              <>
                <NavLink to="/for-you" active={pathname === '/for-you'}>
                  For you
                </NavLink>
                <NavLink to="/history" active={pathname === '/history'}>
                  History
                </NavLink>
              </>
            ) : null}
            {session?.user.role === 'admin' ? (
              <NavLink to="/admin" active={pathname === '/admin'}>
                Admin
              </NavLink>
            ) : null}
          </nav>
          <HealthIndicator />
          <div className="account">
            {session ? (
              <>
                <span className="account__name" title={`Signed in as ${session.user.username}`}>
                  <span className="account__avatar" aria-hidden="true">
                    {session.user.username.charAt(0).toUpperCase()}
                  </span>
                  <span className="visually-hidden">Signed in as </span>
                  <span className="account__username">{session.user.username}</span>
                </span>
                <button type="button" className="button button--small" onClick={signOut}>
                  Sign out
                </button>
              </>
            ) : onAuth ? null : (
              <Link to={signInPath(`${pathname}${search}`)} className="button button--small button--primary">
                Sign in
              </Link>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Routes />
      </main>
      <footer className="app-footer">Encore · music recommendation engine</footer>
    </div>
  );
}
