export {
  InteractionStore,
  INTERACTION_EVENTS,
  type InteractionEvent,
  type StoredInteraction,
  type UserRecord,
  type UserRole,
  type NewUser,
  type HistoryOptions,
  type HistoryPage,
  type StreamOptions,
  type InteractionBatch,
  type StoreHealth,
} from './lib/interaction-store';
export { UsernameTakenError, StoreUnavailableError, InvalidInteractionInputError } from './lib/errors';
export { SqliteInteractionStore, type SqliteInteractionStoreOptions } from './lib/sqlite-interaction-store';
export { PostgresInteractionStore, type PostgresInteractionStoreOptions } from './lib/postgres-interaction-store';
export {
  DynamoInteractionStore,
  dynamoTableNames,
  EVENTS_PER_SLOT,
  type DynamoInteractionStoreOptions,
} from './lib/dynamo-interaction-store';
