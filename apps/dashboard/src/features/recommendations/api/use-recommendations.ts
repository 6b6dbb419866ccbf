import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type RecommendationParams, recommendationQueries } from './recommendation-queries';

/** Switching strategy keeps the current list on screen (dimmed) until the new one arrives. */
export const useRecommendations = (userId: string, params: RecommendationParams) =>
  useQuery({ ...recommendationQueries.list(userId, params), placeholderData: keepPreviousData });
