import { useEffect } from 'react';
import { SongBrowserPage } from '../features/songs/pages/song-browser-page';
import { SongDetailPage } from '../features/songs/pages/song-detail-page';
import { SONG_ROUTE } from '../features/songs/routes';
import { HealthIndicator } from '../features/health/health-indicator';
import { Link, matchPath, useLocation } from '../router';
import './app.css';

/** Route table. New features (sign-in, recommendations, admin) add a `matchPath` branch and a nav link. */
function Routes() {
  const { pathname } = useLocation();

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);

  const song = matchPath(SONG_ROUTE, pathname);
  if (song) return <SongDetailPage key={song['id']} id={song['id']} />;
  if (pathname === '/' || pathname === '/songs') return <SongBrowserPage />;
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{pathname}</code>. <Link to="/">Browse songs</Link>
      </p>
    </section>
  );
}

export function App() {
  const { pathname } = useLocation();
  const onSongs = pathname === '/' || pathname.startsWith('/songs');
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
            <Link to="/" className="app-nav__link" aria-current={onSongs ? 'page' : undefined}>
              Songs
            </Link>
          </nav>
          <HealthIndicator />
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Routes />
      </main>
      <footer className="app-footer">Encore · music recommendation engine</footer>
    </div>
  );
}
