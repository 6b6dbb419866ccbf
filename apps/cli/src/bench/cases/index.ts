import type { BenchCase } from '../bench-case';
import { encodeFullCatalog } from './features';
import { httpCeilingNest, httpCeilingNode } from './http-ceiling';
import { httpRecommendationsCached, httpRecommendationsUncached, httpSimilarCached, httpSimilarUncached } from './http';
import { ingestOneThread, ingestWorkers } from './ingest';
import { querySimilarSongs, queryUserTop10 } from './query';
import { scaling } from './scaling';
import { soak } from './soak';
import {
  trainAlsLastfm,
  trainAlsLastfmWorkers,
  trainAlsMovieLens,
  trainAlsMovieLensWorkers,
  trainAlsSimulated,
  trainAlsSimulatedWorkers,
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
  trainAlsMovieLensWorkers,
  trainAlsLastfm,
  trainAlsLastfmWorkers,
  trainItemKnnMovieLens,
  trainEaseMovieLens,
  trainAlsSimulated,
  trainAlsSimulatedWorkers,
  querySimilarSongs,
  queryUserTop10,
  httpSimilarUncached,
  httpSimilarCached,
  httpRecommendationsUncached,
  httpRecommendationsCached,
  httpCeilingNode,
  httpCeilingNest,
  scaling,
  soak,
];
