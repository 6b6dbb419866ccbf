import { AUDIO_FEATURES, type AudioFeature, Catalog, type Song } from './lib/catalog';

/** A readable song fixture: features default to 0.5 (tempo 120, key 0, loudness -8, mode 1, 4/4). */
export function songFixture(
  id: string,
  overrides: Partial<Omit<Song, 'features'>> & { features?: Partial<Record<AudioFeature, number>> } = {},
): Song {
  const features = Object.fromEntries(AUDIO_FEATURES.map((f) => [f, 0.5])) as Record<AudioFeature, number>;
  Object.assign(features, { key: 0, loudness: -8, mode: 1, tempo: 120, timeSignature: 4 }, overrides.features ?? {});
  return {
    id,
    name: overrides.name ?? `Song ${id}`,
    artists: overrides.artists ?? [`Artist ${id}`],
    album: overrides.album ?? `Album ${id}`,
    genres: overrides.genres ?? ['pop'],
    popularity: overrides.popularity ?? 50,
    durationMs: overrides.durationMs ?? 200000,
    explicit: overrides.explicit ?? false,
    features,
  };
}

/** Six songs in two clear clusters (energetic rock vs calm acoustic) for similarity tests. */
export function tinyCatalog(): Catalog {
  return Catalog.fromSongs([
    songFixture('r1', {
      genres: ['rock'],
      artists: ['Amp'],
      popularity: 80,
      features: { energy: 0.9, acousticness: 0.1, danceability: 0.6 },
    }),
    songFixture('r2', {
      genres: ['rock'],
      artists: ['Amp'],
      popularity: 60,
      features: { energy: 0.85, acousticness: 0.15, danceability: 0.55 },
    }),
    songFixture('r3', {
      genres: ['rock', 'metal'],
      artists: ['Bolt'],
      popularity: 40,
      features: { energy: 0.95, acousticness: 0.05, danceability: 0.5 },
    }),
    songFixture('a1', {
      genres: ['acoustic'],
      artists: ['Calm'],
      popularity: 70,
      features: { energy: 0.2, acousticness: 0.9, danceability: 0.3 },
    }),
    songFixture('a2', {
      genres: ['acoustic'],
      artists: ['Calm'],
      popularity: 30,
      features: { energy: 0.15, acousticness: 0.95, danceability: 0.35 },
    }),
    songFixture('a3', {
      genres: ['acoustic', 'folk'],
      artists: ['Dew'],
      popularity: 20,
      features: { energy: 0.25, acousticness: 0.85, danceability: 0.25 },
    }),
  ]);
}
