export {
  MODEL_NAMES,
  MODEL_DECODERS,
  BEST_MOVIELENS_PARAMS,
  createModel,
  isModelName,
  modelFromArtifact,
  type ModelName,
  type ModelParams,
  type SingleModelName,
  type BlendParams,
  type BlendComponentSpec,
  type BestMovielensParams,
} from './lib/model-factory';
export {
  BEST_KNOWN,
  bestKnownConfig,
  createBestModel,
  transformValues,
  type BestKnownConfig,
  type MeasuredRanking,
  type ValueTransform,
} from './lib/best-known';
