import {
  type ProviderHealth,
  type ProviderInteraction,
  RecommenderProvider,
  type RecommendationResult,
} from '@encore/recommender-port';

/** Records the feedback it is given; `failWith` makes `recordInteractions` reject. Recommends nothing. */
export class FakeRecommender extends RecommenderProvider {
  readonly name = 'fake';
  readonly recorded: { userId: string; interactions: ProviderInteraction[] }[] = [];
  failWith: Error | undefined;
  healthy = true;

  async recommend(): Promise<RecommendationResult> {
    return { items: [], provider: this.name, modelVersion: 'test' };
  }

  async recommendForSession(): Promise<RecommendationResult> {
    return this.recommend();
  }

  async similar(): Promise<RecommendationResult> {
    return this.recommend();
  }

  async recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.recorded.push({ userId, interactions });
  }

  async health(): Promise<ProviderHealth> {
    return { ok: this.healthy, provider: this.name, modelVersion: 'test' };
  }
}
