export const SONG_ROUTE = '/songs/:id';
export const songPath = (id: string) => `/songs/${encodeURIComponent(id)}`;

/** Carried in history state so "Back to songs" returns to the same search, page and filters. */
export interface BackState {
  from: string;
}
