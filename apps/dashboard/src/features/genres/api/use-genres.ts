import { useQuery } from '@tanstack/react-query';
import { genreQueries } from './genre-queries';

export const useGenres = () => useQuery(genreQueries.list());
