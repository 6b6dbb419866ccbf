import type { Catalog } from '@encore/catalog';
import type { Reason } from '@encore/features';
import type { RecommendationReason } from '@encore/recommender-port';

const COLLABORATIVE = new Set(['als', 'item-knn', 'ease', 'dlae', 'rp3beta']);

/** "Song by Artist" (two artists joined with &, more summarised), for reason sentences. */
export function songTitle(catalog: Catalog, item: number): string {
  const artists = catalog.artistsOf(item);
  const by =
    artists.length === 0
      ? ''
      : artists.length <= 2
        ? ` by ${artists.join(' & ')}`
        : ` by ${artists[0]}, ${artists[1]} & others`;
  return `${catalog.names[item]}${by}`;
}

/**
 * The engine's reason (component + dense seed index + genre) as the sentence a listener reads.
 * `liked` tells whether the listener liked the seed (else they only played it).
 */
export function reasonText(
  catalog: Catalog,
  reason: Reason | undefined,
  liked: (item: number) => boolean,
  genreHint?: string,
): RecommendationReason {
  const source = reason?.source ?? 'engine';
  const seed = reason?.seedItem;
  const hasSeed = seed !== undefined && seed >= 0 && seed < catalog.size;
  const out: RecommendationReason = { source, text: '' };
  if (hasSeed) out.seedSongId = catalog.ids[seed];
  const genre = reason?.genre ?? genreHint;
  if (COLLABORATIVE.has(source)) {
    out.text = hasSeed
      ? `Because you ${liked(seed) ? 'liked' : 'played'} ${songTitle(catalog, seed)}`
      : 'Listeners with your taste play this';
  } else if (source === 'content') {
    out.text = hasSeed
      ? `Sounds like ${songTitle(catalog, seed)}, which you ${liked(seed) ? 'liked' : 'played'}`
      : 'Similar to songs you play';
  } else if (source === 'popularity') {
    if (genre) out.genre = genre;
    out.text = genre ? `Popular in ${genre}` : 'Popular right now';
  } else {
    out.text = 'Picked for you';
  }
  return out;
}
