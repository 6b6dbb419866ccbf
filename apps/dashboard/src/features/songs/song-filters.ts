import type { SongQuery, SongSort } from '@encore/api-contract';

/** The song browser's state; it lives in the URL so a search can be shared and survives reloads. */
export interface SongFilters {
  q: string;
  genres: string[];
  sort: SongSort;
  page: number;
  limit: number;
}

export const PAGE_SIZE = 20;
export const SONG_SORTS: readonly { value: SongSort; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'popularity', label: 'Most popular' },
  { value: 'name', label: 'Name (A–Z)' },
];

const isSort = (value: string | null): value is SongSort => SONG_SORTS.some((s) => s.value === value);

/** Ranking by relevance means nothing without a search text, so the default follows the search box. */
export const defaultSort = (q: string): SongSort => (q ? 'relevance' : 'popularity');

export function filtersFromParams(params: URLSearchParams): SongFilters {
  const q = (params.get('q') ?? '').trim();
  const genres = [...new Set(params.getAll('genre').filter(Boolean))].sort();
  const sortParam = params.get('sort');
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    q,
    genres,
    sort: isSort(sortParam) ? sortParam : defaultSort(q),
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    limit: PAGE_SIZE,
  };
}

export type FilterPatch = Partial<Pick<SongFilters, 'q' | 'genres' | 'sort' | 'page'>>;

/** Writes a change into the URL params; changing what is searched for goes back to page 1. */
export function applyFilterPatch(params: URLSearchParams, patch: FilterPatch): URLSearchParams {
  const next = new URLSearchParams(params);
  if (patch.q !== undefined) {
    if (patch.q.trim()) next.set('q', patch.q.trim());
    else next.delete('q');
  }
  if (patch.genres !== undefined) {
    next.delete('genre');
    for (const genre of patch.genres) next.append('genre', genre);
  }
  if (patch.sort !== undefined) next.set('sort', patch.sort);
  const resetsPage = patch.q !== undefined || patch.genres !== undefined || patch.sort !== undefined;
  const page = patch.page ?? (resetsPage ? 1 : undefined);
  if (page !== undefined) {
    if (page > 1) next.set('page', String(page));
    else next.delete('page');
  }
  return next;
}

export function toSongQuery(filters: SongFilters): SongQuery {
  return {
    q: filters.q || undefined,
    genre: filters.genres.length > 0 ? filters.genres : undefined,
    sort: filters.sort,
    page: filters.page,
    limit: filters.limit,
  };
}

export const totalPages = (total: number, limit: number): number => Math.max(1, Math.ceil(total / limit));
