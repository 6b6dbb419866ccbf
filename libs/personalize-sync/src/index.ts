export {
  type AvroPrimitive,
  csvHeader,
  DATASET_TYPES,
  type DatasetType,
  GENRE_FILTER_EXPRESSION,
  INTERACTIONS_SCHEMA,
  ITEMS_SCHEMA,
  type PersonalizeField,
  type PersonalizeSchema,
  SCHEMAS,
  USERS_SCHEMA,
} from './lib/personalize-schemas';
export {
  categoricalCell,
  csvField,
  floatField,
  idProblem,
  MAX_CATEGORICAL_LENGTH,
  MAX_ID_LENGTH,
} from './lib/personalize-csv';
export {
  exportWarnings,
  MAX_EVENT_TYPES_AND_COLUMNS,
  MIN_INTERACTIONS,
  MIN_SHARE_WITH_TWO_INTERACTIONS,
  MIN_USERS_WITH_TWO_INTERACTIONS,
  PersonalizeExport,
  type PersonalizeExportOptions,
  type PersonalizeExportReport,
} from './lib/personalize-export';
export { type DatasetUpload, EXPORT_FILES, EXPORT_REPORT_FILE, readExportDirectory } from './lib/export-directory';
export {
  DEFAULT_POLL_POLICY,
  DEFAULT_RETRY_POLICY,
  isThrottling,
  type PollPolicy,
  pollDelay,
  type RetryPolicy,
  retryDelay,
  retryThrottled,
  type SyncClock,
  SYSTEM_CLOCK,
} from './lib/sync-clock';
export {
  normalisePrefix,
  PersonalizeSync,
  PersonalizeSyncError,
  type PersonalizeSyncOptions,
  type PersonalizeSyncPlan,
  type PersonalizeSyncResult,
  SIMILAR_ITEMS_RECIPE,
  syncPlanProblems,
  SYNC_NAME_PATTERN,
  type SyncAction,
  type SyncedResource,
  type SyncProgress,
  USER_PERSONALIZATION_RECIPE,
} from './lib/personalize-sync';
