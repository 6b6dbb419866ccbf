import { fireEvent, render, screen } from '@testing-library/react';
import { act } from 'react';
import { getLocation, matchPath, navigate } from './history';
import { Link } from './link';
import { useLocation, useSearchParams } from './hooks';

describe('matchPath', () => {
  it('extracts and decodes params', () => {
    expect(matchPath('/songs/:id', '/songs/abc%20def')).toEqual({ id: 'abc def' });
  });

  it('rejects other shapes', () => {
    expect(matchPath('/songs/:id', '/songs')).toBeNull();
    expect(matchPath('/songs/:id', '/songs/a/b')).toBeNull();
    expect(matchPath('/songs/:id', '/albums/a')).toBeNull();
    expect(matchPath('/songs/:id', '/songs/%E0%A4%A')).toBeNull();
  });
});

function Probe() {
  const { pathname, search } = useLocation();
  const [params, setParams] = useSearchParams();
  return (
    <>
      <output>{`${pathname}${search}`}</output>
      <button onClick={() => setParams((p) => (p.set('q', 'x y'), p))}>set q</button>
      <span>q={params.get('q')}</span>
      <Link to="/songs/1" state={{ from: '/' }}>
        song
      </Link>
    </>
  );
}

describe('router hooks', () => {
  it('re-renders readers on navigate and on back/forward', () => {
    render(<Probe />);
    expect(screen.getByRole('status')).toHaveTextContent('/');

    act(() => navigate('/songs/7?x=1'));
    expect(screen.getByRole('status')).toHaveTextContent('/songs/7?x=1');

    act(() => {
      window.history.replaceState(null, '', '/elsewhere');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByRole('status')).toHaveTextContent('/elsewhere');
  });

  it('writes search params into the URL', () => {
    render(<Probe />);
    fireEvent.click(screen.getByRole('button', { name: 'set q' }));
    expect(window.location.search).toBe('?q=x+y');
    expect(screen.getByText('q=x y')).toBeInTheDocument();
  });

  it('Link navigates in-app with state on a plain click, and leaves modified clicks to the browser', () => {
    render(<Probe />);
    const link = screen.getByRole('link', { name: 'song' });
    expect(link).toHaveAttribute('href', '/songs/1');

    // Stand in for the browser opening a new tab: jsdom cannot navigate, so stop it after the Link has had its say.
    let browserHandled = false;
    const browser = (event: MouseEvent) => {
      browserHandled = !event.defaultPrevented;
      event.preventDefault();
    };
    document.addEventListener('click', browser);
    fireEvent.click(link, { ctrlKey: true });
    document.removeEventListener('click', browser);
    expect(browserHandled).toBe(true);
    expect(window.location.pathname).toBe('/');

    fireEvent.click(link);
    expect(window.location.pathname).toBe('/songs/1');
    expect(getLocation().state).toEqual({ from: '/' });
  });
});
