import type { AudioFeaturesDto, SongDto } from '@encore/api-contract';

export type FeatureAverages = { [K in keyof AudioFeaturesDto]: number } & { sampleSize: number };

/** Pages to sample from a name-ordered catalog of `pageCount` pages: the first, the last and evenly in between. */
export function samplePages(pageCount: number, samples: number): number[] {
  if (pageCount <= 0) return [];
  if (pageCount <= samples) return Array.from({ length: pageCount }, (_, i) => i + 1);
  const pages = new Set<number>();
  for (let i = 0; i < samples; i++) pages.add(1 + Math.round((i * (pageCount - 1)) / (samples - 1)));
  return [...pages];
}

/** Mean of every audio feature over the songs; null for an empty sample. */
export function averageFeatures(songs: readonly SongDto[]): FeatureAverages | null {
  if (songs.length === 0) return null;
  const sums: Record<string, number> = {};
  for (const { features } of songs) {
    for (const [key, value] of Object.entries(features)) sums[key] = (sums[key] ?? 0) + value;
  }
  const averages: Record<string, number> = { sampleSize: songs.length };
  for (const [key, sum] of Object.entries(sums)) averages[key] = sum / songs.length;
  return averages as FeatureAverages;
}
