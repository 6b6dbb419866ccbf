export {
  ItemFeatures,
  type ItemFeaturesInput,
  type ItemFeaturesState,
  type DenseFeatures,
  type SparseFeatures,
} from './lib/item-features';
export { attributeFeatures, songFeatures, type AttributeFeatureOptions } from './lib/feature-builders';
export { ContentRecommender, type ContentRecommenderOptions } from './lib/content-recommender';
