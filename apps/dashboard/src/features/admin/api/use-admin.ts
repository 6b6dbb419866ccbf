import { useQuery } from '@tanstack/react-query';
import { adminQueries } from './admin-queries';

export const useServiceMetrics = () => useQuery(adminQueries.metrics());
export const useAdminStats = () => useQuery(adminQueries.stats());
