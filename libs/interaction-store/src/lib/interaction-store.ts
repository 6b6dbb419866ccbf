export type InteractionEvent = 'play' | 'like' | 'skip' | 'dislike';
export const INTERACTION_EVENTS: readonly InteractionEvent[] = ['play', 'like', 'skip', 'dislike'];

export interface StoredInteraction {
  /** Client-chosen idempotency key, unique per user: a retried batch with the same ids is not stored twice. */
  id?: string;
  userId: string;
  songId: string;
  event: InteractionEvent;
  weight: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

export type UserRole = 'listener' | 'admin';

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: UserRole;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Bumped to revoke every token issued before. */
  tokenVersion: number;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: UserRole;
  /** Generated (UUID) when absent. */
  id?: string;
  /** Epoch milliseconds; now when absent. */
  createdAt?: number;
}

export interface HistoryOptions {
  /** 1…1000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  before?: string;
}

export interface HistoryPage {
  /** Newest first (by timestamp, then by arrival). */
  items: StoredInteraction[];
  /** Present when older interactions may remain. */
  nextCursor?: string;
}

export interface StreamOptions {
  /** Rows per yielded batch. Default 5000. */
  batchSize?: number;
}

export interface InteractionBatch {
  /** In arrival order. */
  items: StoredInteraction[];
  /** Pass to `interactionsSince` to continue after the last item of this batch. */
  cursor: string;
}

export interface StoreHealth {
  ok: boolean;
  detail?: string;
}

/**
 * Durable log of listener interactions plus the user accounts.
 *
 * `appendInteractions` resolves only after its single transaction is committed durably, so an acknowledged
 * feedback event survives a crash. `interactionsSince` is the incremental feed for training: it yields every
 * committed interaction exactly once in arrival order, and its cursor never skips an interaction committed later
 * by a concurrent writer.
 *
 * Usernames are compared exactly; normalising them (e.g. lower-casing) is the caller's policy.
 *
 * An abstract class rather than an interface so that it can serve as a dependency-injection token.
 */
export abstract class InteractionStore {
  /** Creates or upgrades the schema. Idempotent, and safe when several instances start at once. */
  abstract init(): Promise<void>;
  /** Stores the batch atomically and returns how many were new (events whose `id` was already stored are skipped). */
  abstract appendInteractions(events: readonly StoredInteraction[]): Promise<number>;
  abstract history(userId: string, options: HistoryOptions): Promise<HistoryPage>;
  /** Batches of interactions after `cursor` (from the beginning when it is `undefined`). */
  abstract interactionsSince(cursor: string | undefined, options?: StreamOptions): AsyncIterable<InteractionBatch>;
  abstract countInteractions(userId?: string): Promise<number>;
  /** Rejects with `UsernameTakenError` when the username exists. */
  abstract createUser(user: NewUser): Promise<UserRecord>;
  abstract findUserByName(username: string): Promise<UserRecord | undefined>;
  abstract findUserById(id: string): Promise<UserRecord | undefined>;
  /** Deletes the account and its interactions; `false` when there was no such user. */
  abstract deleteUser(id: string): Promise<boolean>;
  /** Returns the new token version, or `undefined` when there is no such user. */
  abstract bumpTokenVersion(id: string): Promise<number | undefined>;
  /**
   * Replaces the password hash and bumps the token version in one atomic write, so every token issued before the
   * change is revoked. Returns the new token version, or `undefined` when there is no such user.
   */
  abstract updatePasswordHash(id: string, passwordHash: string): Promise<number | undefined>;
  abstract health(): Promise<StoreHealth>;
  abstract close(): Promise<void>;

  allInteractions(options?: StreamOptions): AsyncIterable<InteractionBatch> {
    return this.interactionsSince(undefined, options);
  }
}
