import { InvalidInteractionInputError } from './errors';
import {
  INTERACTION_EVENTS,
  type HistoryOptions,
  type InteractionEvent,
  type NewUser,
  type StoredInteraction,
  type StreamOptions,
} from './interaction-store';

const MAX_TEXT = 200;

function assertText(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    throw new InvalidInteractionInputError(`${what} must be a string of 1…${MAX_TEXT} characters`);
  }
}

/** Checks a whole batch before any of it is written, naming the first offending event. */
export function validateInteractions(events: readonly StoredInteraction[]): void {
  if (!Array.isArray(events)) throw new InvalidInteractionInputError('events must be an array');
  events.forEach((e, i) => {
    const at = `events[${i}]`;
    if (e.id !== undefined) assertText(e.id, `${at}.id`);
    assertText(e.userId, `${at}.userId`);
    assertText(e.songId, `${at}.songId`);
    if (!INTERACTION_EVENTS.includes(e.event as InteractionEvent)) {
      throw new InvalidInteractionInputError(`${at}.event must be one of ${INTERACTION_EVENTS.join(', ')}`);
    }
    if (typeof e.weight !== 'number' || !Number.isFinite(e.weight)) {
      throw new InvalidInteractionInputError(`${at}.weight must be a finite number`);
    }
    if (!Number.isSafeInteger(e.timestamp) || e.timestamp < 0) {
      throw new InvalidInteractionInputError(`${at}.timestamp must be a non-negative integer of epoch milliseconds`);
    }
  });
}

export function validateHistoryOptions(options: HistoryOptions): void {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 1000) {
    throw new InvalidInteractionInputError(`limit must be an integer in 1…1000, got ${options.limit}`);
  }
}

export function batchSizeOf(options: StreamOptions | undefined): number {
  const size = options?.batchSize ?? 5000;
  if (!Number.isInteger(size) || size < 1) {
    throw new InvalidInteractionInputError(`batchSize must be a positive integer, got ${size}`);
  }
  return size;
}

export function validateNewUser(user: NewUser): void {
  assertText(user.username, 'username');
  assertText(user.passwordHash, 'passwordHash');
  if (user.id !== undefined) assertText(user.id, 'id');
  if (user.role !== 'listener' && user.role !== 'admin') {
    throw new InvalidInteractionInputError('role must be listener or admin');
  }
  if (user.createdAt !== undefined && (!Number.isSafeInteger(user.createdAt) || user.createdAt < 0)) {
    throw new InvalidInteractionInputError('createdAt must be a non-negative integer of epoch milliseconds');
  }
}

/** History pages are keyed by (timestamp, arrival sequence): `<timestamp>.<seq>`. */
export function encodeHistoryCursor(timestamp: number, seq: string | number): string {
  return `${timestamp}.${seq}`;
}

export function decodeHistoryCursor(cursor: string): { timestamp: number; seq: string } {
  const match = /^(\d{1,16})\.(\d{1,19})$/.exec(cursor);
  if (!match) throw new InvalidInteractionInputError(`malformed history cursor ${JSON.stringify(cursor)}`);
  return { timestamp: Number(match[1]), seq: match[2] };
}

/** The training feed is keyed by arrival sequence alone; `undefined` starts from the beginning. */
export function decodeStreamCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '0';
  if (!/^\d{1,19}$/.test(cursor))
    throw new InvalidInteractionInputError(`malformed stream cursor ${JSON.stringify(cursor)}`);
  return cursor;
}
