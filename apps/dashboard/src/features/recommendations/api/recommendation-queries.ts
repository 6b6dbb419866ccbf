import { queryOptions } from '@tanstack/react-query';
import type {
  FeedbackEventType,
  RecommendationsDto,
  RecommendationStrategy,
  RecommendedSongDto,
} from '@encore/api-contract';
import { api } from '../../../api/client';

/** A list item as cached: the API's item, plus the listener's not-yet-refetched feedback on it. */
export type RecommendationItem = RecommendedSongDto & { feedback?: FeedbackEventType };
export type RecommendationList = Omit<RecommendationsDto, 'items'> & { items: RecommendationItem[] };

export interface RecommendationParams {
  strategy: RecommendationStrategy;
  k: number;
}

export const recommendationQueries = {
  all: () => ['recommendations'] as const,
  /** Every list of one listener (any strategy), which feedback from that listener changes. */
  forListener: (userId: string) => [...recommendationQueries.all(), 'user', userId] as const,
  list: (userId: string, params: RecommendationParams) =>
    queryOptions({
      queryKey: [...recommendationQueries.forListener(userId), params] as const,
      queryFn: ({ signal }): Promise<RecommendationList> =>
        api.recommendations.forUser(userId, { strategy: params.strategy, k: params.k }, signal),
    }),
};
