import { AUDIO_FEATURES, type Catalog } from '@encore/catalog';
import type { AudioFeaturesDto, SongDto } from '@encore/api-contract';

/** Wire shapes already built, per catalog: a catalog never changes, and the same songs are sent over and over. */
const built = new WeakMap<Catalog, (Readonly<SongDto> | undefined)[]>();

/**
 * Song i of the catalog as its wire shape, built once and shared (frozen, so no caller can change it for the others).
 * Float32 columns are rounded back to the CSV's precision (0.676, not 0.67599999).
 */
export function toSongDto(catalog: Catalog, i: number): Readonly<SongDto> {
  let songs = built.get(catalog);
  if (songs === undefined) built.set(catalog, (songs = new Array<Readonly<SongDto> | undefined>(catalog.size)));
  return (songs[i] ??= buildSongDto(catalog, i));
}

function buildSongDto(catalog: Catalog, i: number): Readonly<SongDto> {
  const features = {} as AudioFeaturesDto;
  for (const f of AUDIO_FEATURES) features[f] = fromFloat32(catalog.audio[f][i]);
  return Object.freeze({
    id: catalog.ids[i],
    name: catalog.names[i],
    artists: catalog.artistsOf(i),
    album: catalog.albums[i],
    genres: catalog.genresOf(i),
    popularity: fromFloat32(catalog.popularity[i]),
    durationMs: Math.round(catalog.durationMs[i]),
    explicit: catalog.explicit[i] === 1,
    features: Object.freeze(features),
  });
}

// A float32 holds about 7 significant decimal digits; printing 6 recovers the source value.
function fromFloat32(value: number): number {
  return Number(value.toPrecision(6));
}
