import type { SongDto } from './songs';

/** How a list is ranked: the hybrid blend, collaborative filtering only, audio/genre similarity only, or popularity. */
export type RecommendationStrategy = 'hybrid' | 'cf' | 'content' | 'popular';

/** Why a song is in a list, for the UI. */
export interface RecommendationReasonDto {
  /** The component that ranked it: 'als' | 'item-knn' | 'content' | 'popularity' | 'personalize' | … */
  source: string;
  /** "Because you liked Halo by Beyoncé", "Popular in jazz", "Recommended by Amazon Personalize" */
  text: string;
  /** The song that led to it ("because you liked …", "sounds like …"), when there is one. */
  seedSongId?: string;
  /** For "popular in <genre>". */
  genre?: string;
}

/** A recommended song: every SongDto field plus its score and reason. */
export interface RecommendedSongDto extends SongDto {
  /** Relevance, non-increasing down the list; comparable within one response only. */
  score: number;
  reason: RecommendationReasonDto;
}

export interface RecommendationsDto {
  items: RecommendedSongDto[];
  /** The provider that answered: 'engine' | 'personalize'. */
  provider: string;
  modelVersion: string;
  /** Present when the configured provider failed or was too slow and the engine answered instead. */
  fallback?: { from: string; reason: string };
}

/** Query of GET /v1/users/:id/recommendations (genre, excludeGenre and exclude may repeat). */
export interface RecommendationsQuery {
  k?: number;
  strategy?: RecommendationStrategy;
  genre?: string[];
  excludeGenre?: string[];
  exclude?: string[];
  /** At most this many songs per artist. */
  maxPerArtist?: number;
  /** MMR trade-off 0…1: 1 = relevance only, lower = more variety. */
  mmr?: number;
}

/** Query of GET /v1/songs/:id/similar. */
export interface SimilarSongsQuery {
  k?: number;
  exclude?: string[];
}

/** Body of POST /v1/recommendations/session: recommendations for a guest from the songs they liked. */
export interface SessionRecommendationsRequest {
  likedSongIds: string[];
  k?: number;
  genre?: string[];
  exclude?: string[];
}
