export { ItemKnn, type ItemKnnOptions, type ItemSimilarity, type InteractionWeighting } from './lib/item-knn';
export { ImplicitAls, type ImplicitAlsOptions, type AlsTaskRunner } from './lib/implicit-als';
export { runAlsTask, type AlsTask, type AlsTrainingState } from './lib/als-training';
export { Ease, type EaseOptions } from './lib/ease';
export { Dlae, type DlaeOptions } from './lib/dlae';
export { Rp3Beta, type Rp3BetaOptions } from './lib/rp3-beta';
export { NeighbourhoodRecommender, NeighbourRowsBuilder } from './lib/neighbourhood-recommender';
