import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { type AppLocation, getLocation, navigate, type NavigateOptions, subscribe } from './history';

export function useLocation(): AppLocation {
  return useSyncExternalStore(subscribe, getLocation);
}

export type SetSearchParams = (
  next: URLSearchParams | ((current: URLSearchParams) => URLSearchParams),
  options?: NavigateOptions,
) => void;

export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const { search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const setParams = useCallback<SetSearchParams>((next, options) => {
    const current = new URLSearchParams(window.location.search);
    const query = (typeof next === 'function' ? next(current) : next).toString();
    navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, options);
  }, []);
  return [params, setParams];
}
