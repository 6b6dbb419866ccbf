export {
  EngineRecommenderProvider,
  ENGINE_PROVIDER_NAME,
  type EngineRecommenderProviderOptions,
  type EngineStartReport,
  type InteractionFeedBatch,
  type ModelSource,
} from './lib/engine-recommender-provider';
export {
  EngineModel,
  trainEngineModel,
  trainEngineModelWith,
  readInteractions,
  DEFAULT_ENGINE_MODEL_OPTIONS,
  type EngineComponents,
  type EngineModelOptions,
  type EngineModelParts,
  type EngineWeights,
  type EngineInteraction,
  type EngineTrainingReport,
  type FeedPosition,
  type InteractionSource,
  type InteractionChunk,
  type TrainEngineModelInput,
} from './lib/engine-model';
export {
  type EngineWeightSearchOptions,
  type EngineWeightSearchReport,
  type EngineWeightTrial,
} from './lib/engine-weight-search';
export {
  ENGINE_ARTIFACT_KIND,
  ENGINE_BUNDLE_FORMAT,
  EngineArtifactError,
  catalogFingerprint,
  type EngineArtifactProblem,
} from './lib/engine-artifact';
export {
  publishEngineModel,
  engineTrainingFingerprint,
  SILENT_LOG,
  type EngineArtifactStore,
  type EngineLog,
} from './lib/engine-artifact-store';
export {
  trainAndEvaluateEngineModel,
  type EngineEvaluationOptions,
  type EngineTrainingInput,
  type EngineTrainingResult,
} from './lib/engine-training';
export { reasonText, songTitle } from './lib/reason-text';
