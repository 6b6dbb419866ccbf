import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { parsePrometheusText } from '../prometheus';
import { summarizeServiceMetrics } from '../service-metrics';

export const ADMIN_POLL_MS = 15_000;

export const adminQueries = {
  all: () => ['admin'] as const,
  /** One scrape of /metrics, parsed and summarised here: the API has no JSON view of these figures. */
  metrics: () =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'metrics'] as const,
      queryFn: async ({ signal }) => summarizeServiceMetrics(parsePrometheusText(await api.admin.metrics(signal))),
      refetchInterval: ADMIN_POLL_MS,
    }),
  stats: () =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'stats'] as const,
      queryFn: ({ signal }) => api.admin.stats(signal),
      refetchInterval: ADMIN_POLL_MS,
    }),
};
