import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const HISTORY_PAGE_SIZE = 20;

export const historyQueries = {
  all: () => ['history'] as const,
  forListener: (userId: string) => [...historyQueries.all(), userId] as const,
  /** Newest first, a page at a time: each page's `nextCursor` asks for the one after it. */
  list: (userId: string, limit = HISTORY_PAGE_SIZE) =>
    infiniteQueryOptions({
      queryKey: [...historyQueries.forListener(userId), { limit }] as const,
      queryFn: ({ pageParam, signal }) => api.feedback.history(userId, { limit, cursor: pageParam }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => page.nextCursor,
    }),
};
