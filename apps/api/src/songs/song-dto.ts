import { AUDIO_FEATURES, type Catalog } from '@encore/catalog';
import type { AudioFeaturesDto, SongDto } from '@encore/api-contract';

/** Song i of the catalog as its wire shape. Float32 columns are rounded back to the CSV's precision (0.676, not 0.67599999). */
export function toSongDto(catalog: Catalog, i: number): SongDto {
  const features = {} as AudioFeaturesDto;
  for (const f of AUDIO_FEATURES) features[f] = fromFloat32(catalog.audio[f][i]);
  return {
    id: catalog.ids[i],
    name: catalog.names[i],
    artists: catalog.artistsOf(i),
    album: catalog.albums[i],
    genres: catalog.genresOf(i),
    popularity: fromFloat32(catalog.popularity[i]),
    durationMs: Math.round(catalog.durationMs[i]),
    explicit: catalog.explicit[i] === 1,
    features,
  };
}

// A float32 holds about 7 significant decimal digits; printing 6 recovers the source value.
function fromFloat32(value: number): number {
  return Number(value.toPrecision(6));
}
