import { useInfiniteQuery } from '@tanstack/react-query';
import { historyQueries } from './history-queries';

export const useHistory = (userId: string) => useInfiniteQuery(historyQueries.list(userId));
