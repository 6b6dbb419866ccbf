export { Catalog, CatalogBuilder, AUDIO_FEATURES, type AudioFeature, type Song } from './lib/catalog';
export {
  CsvReader,
  CSV_END,
  type CsvReaderOptions,
  parseCsv,
  CSV_QUOTED,
  CSV_ESCAPED,
  CSV_BAD_QUOTE,
  CSV_COMPLETE,
  CSV_NEED_MORE,
  CSV_UNTERMINATED,
  type CsvRecord,
} from './lib/csv';
export { parseDecimal } from './lib/decimal';
export { CatalogFormatError, type CatalogFormatProblem } from './lib/catalog-format-error';
export { CatalogTextDecoder, decodeCatalogBytes, decodeCatalogChunks } from './lib/catalog-text-decoder';
export {
  SPOTIFY_COLUMNS,
  OPTIONAL_COLUMN_DEFAULTS,
  INGEST_NUMERIC_FIELDS,
  resolveColumnLayout,
  readCsvHeader,
  parseIngestChunk,
  ingestPartTransferables,
  splitCsvAtRecordBoundaries,
  mergeIngestParts,
  ingestCatalogText,
  ingestCatalog,
  idHash,
  packStrings,
  unpackStrings,
  type PackedStrings,
  type ColumnMapping,
  type ColumnLayout,
  type CsvChunk,
  type IngestOptions,
  type IngestPart,
  type IngestReport,
  type RejectedRow,
} from './lib/ingest';
