import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { type SongFilters, toSongQuery } from '../song-filters';

export const songQueries = {
  all: () => ['songs'] as const,
  lists: () => [...songQueries.all(), 'list'] as const,
  list: (filters: SongFilters) =>
    queryOptions({
      queryKey: [...songQueries.lists(), filters] as const,
      queryFn: ({ signal }) => api.songs.list(toSongQuery(filters), signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...songQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => api.songs.get(id, signal),
    }),
};
