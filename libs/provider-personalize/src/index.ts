export {
  PersonalizeRecommenderProvider,
  PersonalizeCallError,
  PERSONALIZE_PROVIDER_NAME,
  PERSONALIZE_REASON,
  isRetryable,
  sessionIdOf,
  type PersonalizeProviderConfig,
  type PersonalizeRetryOptions,
  type SongLookup,
} from './lib/personalize-recommender-provider';
export {
  FallbackRecommenderProvider,
  type FallbackOptions,
  type CircuitState,
} from './lib/fallback-recommender-provider';
