export type { AudioFeaturesDto, SongDto, SongSort, SongQuery, Page, GenreDto, HealthDto } from './lib/songs';
export type { ApiErrorBody, FieldError } from './lib/errors';
