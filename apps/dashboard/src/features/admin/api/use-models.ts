import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TrainModelRequest } from '@encore/api-contract';
import { api } from '../../../api/client';
import { healthQueries } from '../../health/api/health-queries';
import { recommendationQueries } from '../../recommendations/api/recommendation-queries';
import { adminQueries } from './admin-queries';
import { jobQueries, modelQueries } from './model-queries';

export const useModelVersions = () => useQuery(modelQueries.list());

export const useStartTraining = () =>
  useMutation({ mutationFn: (request: TrainModelRequest = {}) => api.admin.train(request) });

/** Polls one training job; once it has published a version, the version list is refetched to show it. */
export function useTrainingJob(id: string | undefined) {
  const queryClient = useQueryClient();
  const job = useQuery({ ...jobQueries.detail(id ?? ''), enabled: Boolean(id) });
  const succeeded = job.data?.status === 'succeeded';
  useEffect(() => {
    if (succeeded) void queryClient.invalidateQueries({ queryKey: modelQueries.all() });
  }, [succeeded, queryClient]);
  return job;
}

/** Serving another version changes every recommendation list, so those are refetched too. */
export function useActivateModel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: string) => api.admin.activate(version),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: modelQueries.all() }),
        queryClient.invalidateQueries({ queryKey: recommendationQueries.all() }),
        // The service panel shows the served model version (from /health and /metrics).
        queryClient.invalidateQueries({ queryKey: healthQueries.all() }),
        queryClient.invalidateQueries({ queryKey: adminQueries.all() }),
      ]),
  });
}
