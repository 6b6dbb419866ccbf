import { queryOptions } from '@tanstack/react-query';
import type { TrainingJobDto } from '@encore/api-contract';
import { api } from '../../../api/client';
import { ADMIN_POLL_MS } from './admin-queries';

/** How often a queued or running training job is asked for its progress. */
export const JOB_POLL_MS = 1000;

export const isJobFinished = (job: TrainingJobDto | undefined) =>
  job?.status === 'succeeded' || job?.status === 'failed';

export const modelQueries = {
  all: () => ['models'] as const,
  /** An API deployed without the models module answers 404; the page then leaves the section out. */
  list: () =>
    queryOptions({
      queryKey: [...modelQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => api.admin.models(signal),
      refetchInterval: ADMIN_POLL_MS,
    }),
};

export const jobQueries = {
  all: () => ['jobs'] as const,
  /** Polled while the job is queued or running; a finished job never changes again. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...jobQueries.all(), id] as const,
      queryFn: ({ signal }) => api.admin.job(id, signal),
      refetchInterval: (query) => (isJobFinished(query.state.data) ? false : JOB_POLL_MS),
      staleTime: (query) => (isJobFinished(query.state.data) ? Infinity : 0),
    }),
};
