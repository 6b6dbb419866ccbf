import { useQuery } from '@tanstack/react-query';
import { healthQueries } from './health-queries';

export const useHealth = () => useQuery(healthQueries.status());
