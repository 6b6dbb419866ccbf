import { Dlae, Ease, ImplicitAls, ItemKnn, Rp3Beta } from '@encore/collaborative';
import { ContentRecommender } from '@encore/content';
import type { Recommender } from '@encore/features';
import type { ModelState } from '@encore/model-artifact';
import { PopularityRanker } from './popularity-ranker';

/** Restores one component from its nested ModelState. */
export type ComponentDecoder = (state: ModelState) => Recommender;

/** fromArtifact of every engine model a HybridRanker can nest, by kind. */
export const DEFAULT_COMPONENT_DECODERS: Readonly<Record<string, ComponentDecoder>> = Object.freeze({
  'item-knn': (s) => ItemKnn.fromArtifact(s),
  als: (s) => ImplicitAls.fromArtifact(s),
  ease: (s) => Ease.fromArtifact(s),
  dlae: (s) => Dlae.fromArtifact(s),
  rp3beta: (s) => Rp3Beta.fromArtifact(s),
  content: (s) => ContentRecommender.fromArtifact(s),
  popularity: (s) => PopularityRanker.fromArtifact(s),
});
