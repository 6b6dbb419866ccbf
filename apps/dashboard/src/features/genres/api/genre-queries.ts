import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const genreQueries = {
  all: () => ['genres'] as const,
  // The genre list only changes when the catalog is re-ingested.
  list: () =>
    queryOptions({
      queryKey: [...genreQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => api.genres.list(signal),
      staleTime: 10 * 60_000,
    }),
};
