export { type Interaction, DatasetParseError } from './lib/interaction';
export {
  parseMovieLens100k,
  parseLastfmUserArtists,
  parseInteractionsCsv,
  formatInteractionsCsv,
  parseTimestamp,
  DEFAULT_INTERACTION_COLUMNS,
  type BinaryWeightOption,
  type MovieLensOptions,
  type LastfmOptions,
  type InteractionColumns,
  type InteractionsCsvOptions,
  type FormatInteractionsCsvOptions,
} from './lib/parsers';
export { detectDelimiter, type Delimiter } from './lib/delimited';
export {
  DATASET_PRESETS,
  datasetPreset,
  type DatasetName,
  type DatasetPreset,
  type DatasetParseOptions,
} from './lib/presets';
export {
  parseLastfmTags,
  parseLastfmTagAssignments,
  lastfmArtistTags,
  parseMovieLensItems,
  movieLensGenreAttributes,
  MOVIELENS_GENRES,
  type ItemAttribute,
  type LastfmTagAssignment,
  type MovieLensItem,
} from './lib/item-attributes';
