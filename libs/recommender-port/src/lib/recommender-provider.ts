/**
 * The seam between the API and whatever produces recommendations: the Encore engine or
 * Amazon Personalize. The API binds one implementation, chosen by config, to this class
 * (the abstract class is the injection token) and never knows which one it talks to.
 * Ids here are catalog song ids and listener ids (strings), never dense indices.
 */
export type Strategy = 'hybrid' | 'cf' | 'content' | 'popular';

export type FeedbackEvent = 'play' | 'like' | 'skip' | 'dislike';

export interface ProviderInteraction {
  songId: string;
  event: FeedbackEvent;
  /** epoch ms */
  timestamp: number;
}

export interface RecommendationReason {
  /** The component that ranked the song: 'item-knn' | 'als' | 'ease' | 'content' | 'popularity' | 'personalize' | … */
  source: string;
  /** Song id of the seed ("because you liked …"), when there is one. */
  seedSongId?: string;
  /** Genre, for "popular in <genre>". */
  genre?: string;
  /** Human-readable sentence for the UI. */
  text: string;
}

export interface RecommendedSong {
  songId: string;
  score: number;
  reason: RecommendationReason;
}

export interface Diversity {
  /** At most this many songs per artist. */
  maxPerArtist?: number;
  /** MMR trade-off in [0, 1]: 1 = relevance only, 0 = diversity only. */
  mmrLambda?: number;
}

export interface RecommendationRequest {
  userId: string;
  k: number;
  strategy?: Strategy;
  /** Only songs in at least one of these genres (OR). */
  genres?: string[];
  excludeGenres?: string[];
  /** Song ids to leave out of this response. */
  exclude?: string[];
  diversity?: Diversity;
}

export interface SessionRecommendationRequest {
  /** Songs a guest liked, no account needed. */
  likedSongIds: string[];
  k: number;
  genres?: string[];
  exclude?: string[];
  diversity?: Diversity;
}

export interface RecommendationResult {
  items: RecommendedSong[];
  /** 'engine' | 'personalize' — and when a fallback answered, the provider that actually did. */
  provider: string;
  modelVersion: string;
  /** Set when the configured provider failed and another answered. */
  fallback?: { from: string; reason: string };
}

export interface SimilarRequest {
  songId: string;
  k: number;
  exclude?: string[];
}

export interface ProviderHealth {
  ok: boolean;
  provider: string;
  modelVersion?: string;
  detail?: string;
}

export abstract class RecommenderProvider {
  abstract readonly name: string;
  abstract recommend(request: RecommendationRequest): Promise<RecommendationResult>;
  abstract recommendForSession(request: SessionRecommendationRequest): Promise<RecommendationResult>;
  abstract similar(request: SimilarRequest): Promise<RecommendationResult>;
  /**
   * Feedback already stored durably by the API: update the listener's profile now (fold-in)
   * so the next request reflects it. Resolves when the profile is updated.
   */
  abstract recordInteractions(userId: string, interactions: ProviderInteraction[]): Promise<void>;
  abstract health(): Promise<ProviderHealth>;
}

/**
 * Thrown by a provider asked about a song id it does not know (e.g. `similar` for a song outside
 * the catalog it was trained on). The API maps it to 404; any other error means the provider failed.
 */
export class UnknownSongError extends Error {
  constructor(readonly songId: string) {
    super(`unknown song "${songId}"`);
    this.name = 'UnknownSongError';
  }
}
