import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const HEALTH_POLL_MS = 30_000;

export const healthQueries = {
  all: () => ['health'] as const,
  status: () =>
    queryOptions({
      queryKey: [...healthQueries.all(), 'status'] as const,
      queryFn: ({ signal }) => api.health(signal),
      refetchInterval: HEALTH_POLL_MS,
    }),
};
