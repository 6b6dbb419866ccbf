import type { RecommendationStrategy } from '@encore/api-contract';

export interface StrategyOption {
  value: RecommendationStrategy;
  label: string;
  description: string;
}

export const STRATEGIES: readonly StrategyOption[] = [
  { value: 'hybrid', label: 'Hybrid', description: 'A blend of listeners like you, sound-alikes and what’s popular.' },
  { value: 'cf', label: 'CF', description: 'Collaborative filtering: what listeners with your taste play.' },
  { value: 'content', label: 'Content', description: 'Songs that sound like the ones you liked.' },
  { value: 'popular', label: 'Popular', description: 'The most played songs right now, the same for everyone.' },
];

export const DEFAULT_STRATEGY: RecommendationStrategy = 'hybrid';

export function parseStrategy(value: string | null): RecommendationStrategy {
  return STRATEGIES.find((s) => s.value === value)?.value ?? DEFAULT_STRATEGY;
}
