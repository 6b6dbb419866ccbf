/** Accounts, tokens and listener feedback on the wire. Types only. */
export type UserRoleDto = 'listener' | 'admin';

/** POST /v1/auth/register and POST /v1/auth/token. */
export interface CredentialsRequest {
  username: string;
  password: string;
}

/** 201 of POST /v1/auth/register. */
export interface RegisteredUserDto {
  id: string;
  username: string;
}

/** 200 of POST /v1/auth/token; send `Authorization: Bearer <accessToken>`. */
export interface AccessTokenDto {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}

/**
 * POST /v1/auth/password (bearer token): 200 with a fresh AccessTokenDto; every token issued before, on every
 * device, stops working.
 */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** GET /v1/auth/me. */
export interface CurrentUserDto {
  id: string;
  username: string;
  role: UserRoleDto;
  /** ISO 8601. */
  createdAt: string;
}

export type FeedbackEventType = 'play' | 'like' | 'skip' | 'dislike';

export interface FeedbackEventInput {
  songId: string;
  event: FeedbackEventType;
  /** ISO 8601 or epoch milliseconds; the server's time when absent. At most 5 minutes in the future. */
  timestamp?: string | number;
  /** Client-chosen idempotency key (unique per user): a retried event with the same id is stored once. */
  id?: string;
}

/** POST /v1/users/:id/interactions. */
export interface RecordFeedbackRequest {
  events: FeedbackEventInput[];
}

/** 201 of POST /v1/users/:id/interactions: every event is stored durably before this answer. */
export interface RecordFeedbackResponse {
  /** Events newly stored. */
  accepted: number;
  /** Events skipped because an event with the same id was already stored. */
  duplicates: number;
}

export interface SongSummaryDto {
  id: string;
  name: string;
  artists: string[];
}

export interface HistoryItemDto {
  id?: string;
  songId: string;
  event: FeedbackEventType;
  /** ISO 8601. */
  timestamp: string;
  /** `null` when the song is no longer in the catalog. */
  song: SongSummaryDto | null;
}

/** GET /v1/users/:id/history: newest first; pass `nextCursor` as `cursor` for the next page. */
export interface HistoryPageDto {
  items: HistoryItemDto[];
  nextCursor?: string;
}

/** GET /v1/admin/stats. */
export interface AdminStatsDto {
  interactions: number;
  songs: number;
  cache: { backend: 'memory' | 'redis'; hits: number; misses: number; errors: number; size?: number };
  uptimeSeconds: number;
}
