import type { Interaction } from './interaction';
import {
  parseInteractionsCsv,
  parseLastfmUserArtists,
  parseMovieLens100k,
  type InteractionsCsvOptions,
  type LastfmOptions,
  type MovieLensOptions,
} from './parsers';

export type DatasetName = 'movielens-100k' | 'lastfm-2k' | 'interactions-csv';

/** Options any preset accepts; each preset reads the ones that apply to it. */
export type DatasetParseOptions = MovieLensOptions & LastfmOptions & InteractionsCsvOptions;

export interface DatasetPreset {
  name: DatasetName;
  /** The file this preset reads, relative to the dataset's folder (for CLI help). */
  file: string;
  description: string;
  parse(text: string, options?: DatasetParseOptions): Interaction[];
}

export const DATASET_PRESETS: readonly DatasetPreset[] = [
  {
    name: 'movielens-100k',
    file: 'ml-100k/u.data',
    description: 'MovieLens 100K ratings (user, item, rating 1–5, unix seconds); weight = rating',
    parse: (text, options) => parseMovieLens100k(text, options),
  },
  {
    name: 'lastfm-2k',
    file: 'hetrec2011-lastfm-2k/user_artists.dat',
    description: 'HetRec 2011 Last.fm user–artist play counts; weight = plays',
    parse: (text, options) => parseLastfmUserArtists(text, options),
  },
  {
    name: 'interactions-csv',
    file: 'interactions.csv',
    description: 'Generic CSV/TSV with header user_id,item_id[,weight][,event][,timestamp]',
    parse: (text, options) => parseInteractionsCsv(text, options),
  },
];

export function datasetPreset(name: string): DatasetPreset {
  const preset = DATASET_PRESETS.find((p) => p.name === name);
  if (!preset) {
    throw new Error(`unknown dataset "${name}"; expected one of ${DATASET_PRESETS.map((p) => p.name).join(', ')}`);
  }
  return preset;
}
