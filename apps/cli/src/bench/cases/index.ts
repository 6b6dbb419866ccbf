import type { BenchCase } from '../bench-case';
import { encodeFullCatalog } from './features';
import { httpRecommendationsCached, httpRecommendationsUncached, httpSimilarCached, httpSimilarUncached } from './http';
import { ingestOneThread, ingestWorkers } from './ingest';
import { querySimilarSongs, queryUserTop10 } from './query';
import {
  trainAlsLastfm,
  trainAlsMovieLens,
  trainAlsSimulated,
  trainEaseMovieLens,
  trainItemKnnMovieLens,
} from './train';

/**
 * Every benchmark case, in report order. To add one: write `cases/<topic>.ts` exporting
 * `defineBenchCase({...})` (see ingest.ts) and list it here. Cases sharing inputs (the full
 * catalog, the simulated listeners) build them once (bench-data.ts).
 */
export const benchCases: readonly BenchCase[] = [
  ingestOneThread,
  ingestWorkers,
  encodeFullCatalog,
  trainAlsMovieLens,
  trainAlsLastfm,
  trainItemKnnMovieLens,
  trainEaseMovieLens,
  trainAlsSimulated,
  querySimilarSongs,
  queryUserTop10,
  httpSimilarUncached,
  httpSimilarCached,
  httpRecommendationsUncached,
  httpRecommendationsCached,
];
