import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FeedbackEventType } from '@encore/api-contract';
import { api } from '../../../api/client';
import { useSession } from '../../../session';
import { type RecommendationList, recommendationQueries } from '../../recommendations/api/recommendation-queries';
import { historyQueries } from './history-queries';

export interface FeedbackVariables {
  songId: string;
  event: FeedbackEventType;
}

export const FEEDBACK_MUTATION_KEY = ['feedback', 'record'] as const;

/** What the list looks like once the API has the event: skips and dislikes leave, likes and plays are marked. */
export function applyFeedback(list: RecommendationList, { songId, event }: FeedbackVariables): RecommendationList {
  if (event === 'skip' || event === 'dislike') return { ...list, items: list.items.filter((s) => s.id !== songId) };
  return { ...list, items: list.items.map((s) => (s.id === songId ? { ...s, feedback: event } : s)) };
}

/**
 * Records one play/like/skip/dislike of the signed-in listener. The listener's cached recommendation lists
 * change at once (rolled back if the API refuses), and once the API has it, recommendations and history are
 * refetched so the next list reflects it.
 */
export function useRecordFeedback() {
  const queryClient = useQueryClient();
  const userId = useSession()?.user.id;

  return useMutation({
    mutationKey: FEEDBACK_MUTATION_KEY,
    mutationFn: ({ songId, event }: FeedbackVariables) => {
      if (!userId) throw new Error('Sign in to rate songs');
      return api.feedback.record(userId, [{ songId, event }]);
    },
    onMutate: async (variables) => {
      if (!userId) return { snapshot: [] };
      const queryKey = recommendationQueries.forListener(userId);
      // An in-flight fetch finishing now would overwrite the optimistic change with the old list.
      await queryClient.cancelQueries({ queryKey });
      const snapshot = queryClient.getQueriesData<RecommendationList>({ queryKey });
      queryClient.setQueriesData<RecommendationList>({ queryKey }, (list) => list && applyFeedback(list, variables));
      return { snapshot };
    },
    onError: (_error, _variables, context) => {
      for (const [queryKey, data] of context?.snapshot ?? []) queryClient.setQueryData(queryKey, data);
    },
    onSettled: () => {
      // While other ratings are still in flight, a refetch would bring back songs they removed; the last one refetches.
      if (queryClient.isMutating({ mutationKey: FEEDBACK_MUTATION_KEY }) > 1) return;
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: recommendationQueries.all() }),
        queryClient.invalidateQueries({ queryKey: historyQueries.all() }),
      ]);
    },
  });
}
