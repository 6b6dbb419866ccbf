import type { HistoryPage, InteractionEvent, StoredInteraction, UserRecord, UserRole } from './interaction-store';
import { encodeHistoryCursor } from './validation';

/** Column names shared by both schemas; PostgreSQL returns BIGINT as a string, hence the conversions. */
export interface InteractionRow {
  seq: number | string;
  event_id: string | null;
  user_id: string;
  song_id: string;
  event: string;
  weight: number;
  ts: number | string;
}

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  created_at: number | string;
  token_version: number;
}

export const INTERACTION_COLUMNS = 'seq, event_id, user_id, song_id, event, weight, ts';
export const USER_COLUMNS = 'id, username, password_hash, role, created_at, token_version';

export function toInteraction(row: InteractionRow): StoredInteraction {
  const interaction: StoredInteraction = {
    userId: row.user_id,
    songId: row.song_id,
    event: row.event as InteractionEvent,
    weight: Number(row.weight),
    timestamp: Number(row.ts),
  };
  if (row.event_id !== null) interaction.id = row.event_id;
  return interaction;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role as UserRole,
    createdAt: Number(row.created_at),
    tokenVersion: Number(row.token_version),
  };
}

/** Rows were fetched with `limit + 1` so that a next page is announced only when one exists. */
export function pageOf(rows: InteractionRow[], limit: number): HistoryPage {
  const items = rows.slice(0, limit);
  const page: HistoryPage = { items: items.map(toInteraction) };
  if (rows.length > limit) {
    const last = items[items.length - 1];
    page.nextCursor = encodeHistoryCursor(Number(last.ts), last.seq);
  }
  return page;
}
