import { useCallback, useMemo } from 'react';
import { useSearchParams } from '../../router';
import { applyFilterPatch, type FilterPatch, filtersFromParams, type SongFilters } from './song-filters';

export interface SetFilterOptions {
  /** Typing replaces the history entry instead of adding one per keystroke pause. */
  replace?: boolean;
}

export function useSongFilters(): [SongFilters, (patch: FilterPatch, options?: SetFilterOptions) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const setFilters = useCallback(
    (patch: FilterPatch, options: SetFilterOptions = {}) =>
      setParams((current) => applyFilterPatch(current, patch), { replace: options.replace }),
    [setParams],
  );
  return [filters, setFilters];
}
