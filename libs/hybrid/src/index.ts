export {
  PopularityRanker,
  itemGenresFromCatalog,
  catalogPopularityFor,
  type PopularityRankerOptions,
  type ItemGenres,
} from './lib/popularity-ranker';
export {
  HybridRanker,
  DEFAULT_HYBRID_OPTIONS,
  type HybridComponent,
  type HybridRankerOptions,
  type ComponentRole,
  type ScoreNormalisation,
  type CandidateList,
  type HybridTuneOptions,
  type HybridTuneResult,
  type HybridTrialParams,
} from './lib/hybrid-ranker';
export { DEFAULT_COMPONENT_DECODERS, type ComponentDecoder } from './lib/component-decoders';
export {
  filterByGroups,
  withoutItems,
  withoutDislikes,
  capPerGroup,
  mmrRerank,
  postProcess,
  type ItemGroups,
  type GroupFilter,
  type ItemSimilarity,
  type PostProcessOptions,
} from './lib/post-filters';
