import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { averageFeatures, samplePages } from '../feature-averages';
import { type SongFilters, toSongQuery } from '../song-filters';

export const SIMILAR_SONGS_LIMIT = 8;
/** The API caps a page at 100 songs; four spread pages give a sample of the catalog that popularity does not skew. */
const SAMPLE_PAGE_SIZE = 100;
const SAMPLE_PAGES = 4;

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
  similar: (id: string, k = SIMILAR_SONGS_LIMIT) =>
    queryOptions({
      queryKey: [...songQueries.all(), 'similar', id, { k }] as const,
      queryFn: ({ signal }) => api.recommendations.similar(id, { k }, signal),
    }),
  /**
   * The API has no catalog-wide feature averages, so they are estimated here from pages spread across the
   * name-ordered catalog; computed once per visit.
   */
  featureAverages: () =>
    queryOptions({
      queryKey: [...songQueries.all(), 'feature-averages'] as const,
      queryFn: async ({ signal }) => {
        const query = { sort: 'name', limit: SAMPLE_PAGE_SIZE } as const;
        const first = await api.songs.list({ ...query, page: 1 }, signal);
        const rest = samplePages(Math.ceil(first.total / SAMPLE_PAGE_SIZE), SAMPLE_PAGES).filter((p) => p !== 1);
        const pages = await Promise.all(rest.map((page) => api.songs.list({ ...query, page }, signal)));
        return averageFeatures([first, ...pages].flatMap((p) => p.items));
      },
      staleTime: Infinity,
    }),
};
