import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SongFilters } from '../song-filters';
import { songQueries } from './song-queries';

/** The previous page stays visible while the next one loads, so paging and typing don't flash a skeleton. */
export const useSongs = (filters: SongFilters) =>
  useQuery({ ...songQueries.list(filters), placeholderData: keepPreviousData });

export const useSong = (id: string) => useQuery(songQueries.detail(id));

export const useSimilarSongs = (id: string) => useQuery(songQueries.similar(id));

export const useFeatureAverages = () => useQuery(songQueries.featureAverages());
