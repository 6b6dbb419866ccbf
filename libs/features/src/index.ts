export { InteractionMatrix } from './lib/interaction-matrix';
export { type Recommender, type Scored, type Reason, type FitReport } from './lib/recommender';
