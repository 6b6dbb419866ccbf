/** Wire types shared by the API and the dashboard. Types only: nothing here runs. */
export interface AudioFeaturesDto {
  danceability: number;
  energy: number;
  key: number;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  timeSignature: number;
}

export interface SongDto {
  id: string;
  name: string;
  artists: string[];
  album: string;
  genres: string[];
  popularity: number;
  durationMs: number;
  explicit: boolean;
  features: AudioFeaturesDto;
}

export type SongSort = 'relevance' | 'popularity' | 'name';

export interface SongQuery {
  q?: string;
  genre?: string[];
  sort?: SongSort;
  page?: number;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface GenreDto {
  name: string;
  songs: number;
}

export interface HealthDto {
  status: 'ok' | 'degraded' | 'error';
  uptimeSeconds: number;
  catalog: { songs: number; genres: number; source: string };
  checks: Record<string, { status: 'up' | 'down'; detail?: string }>;
}
