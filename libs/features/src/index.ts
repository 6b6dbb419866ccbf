export { InteractionMatrix, blobOf, type InteractionMatrixState } from './lib/interaction-matrix';
export {
  buildInteractionMatrix,
  DEFAULT_EVENT_WEIGHTS,
  DISLIKE_EVENT,
  type InteractionEvent,
  type InteractionMatrixOptions,
} from './lib/interaction-builder';
export {
  rankUnseen,
  assertUser,
  assertScoreBuffer,
  assertFitted,
  type Recommender,
  type Scored,
  type Reason,
  type FitReport,
} from './lib/recommender';
export { StandardScaler, type StandardScalerJson } from './lib/standard-scaler';
export { LabelEncoder, OneHotEncoder, Bucketizer } from './lib/categorical';
export {
  SongFeatureEncoder,
  DEFAULT_FEATURE_WEIGHTS,
  type FeatureGroup,
  type FeatureGroupName,
  type SongFeatureEncoderOptions,
  type SongExtraColumns,
  type SongFeatureEncoderJson,
} from './lib/song-feature-encoder';
export { ScoringRecommender } from './lib/scoring-recommender';
export { strongestSeed } from './lib/strongest-seed';
