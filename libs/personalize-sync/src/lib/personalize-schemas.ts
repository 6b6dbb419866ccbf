/**
 * The Avro schemas of the three Amazon Personalize datasets Encore exports. Personalize parses a
 * bulk CSV by header name but requires the header to list the schema's fields in the schema's
 * order, so the CSV writers take their column order from these field lists.
 */

export type DatasetType = 'INTERACTIONS' | 'ITEMS' | 'USERS';
export const DATASET_TYPES: readonly DatasetType[] = ['INTERACTIONS', 'ITEMS', 'USERS'];

export type AvroPrimitive = 'string' | 'int' | 'long' | 'float' | 'double';

export interface PersonalizeField {
  name: string;
  /** A primitive, or `['null', primitive]` for a field that may be empty in the CSV. */
  type: AvroPrimitive | ['null', AvroPrimitive];
  /** Personalize trains on string metadata only when it is categorical (values joined with `|`). */
  categorical?: true;
}

export interface PersonalizeSchema {
  type: 'record';
  name: 'Interactions' | 'Items' | 'Users';
  namespace: 'com.amazonaws.personalize.schema';
  fields: PersonalizeField[];
  version: '1.0';
}

const NAMESPACE = 'com.amazonaws.personalize.schema';

/** USER_ID, ITEM_ID, TIMESTAMP (epoch seconds) are required; EVENT_TYPE and EVENT_VALUE are reserved optional fields. */
export const INTERACTIONS_SCHEMA: PersonalizeSchema = {
  type: 'record',
  name: 'Interactions',
  namespace: NAMESPACE,
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: 'float' },
  ],
  version: '1.0',
};

/**
 * Song metadata. The Spotify catalog has no release year, so there is no CREATION_TIMESTAMP
 * (Personalize then treats every item as equally old). GENRES and ARTISTS may be empty.
 */
export const ITEMS_SCHEMA: PersonalizeSchema = {
  type: 'record',
  name: 'Items',
  namespace: NAMESPACE,
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'ARTISTS', type: ['null', 'string'], categorical: true },
    { name: 'EXPLICIT', type: 'string', categorical: true },
    { name: 'POPULARITY', type: 'int' },
    { name: 'DURATION_MS', type: 'long' },
    { name: 'DANCEABILITY', type: 'float' },
    { name: 'ENERGY', type: 'float' },
    { name: 'KEY', type: 'int' },
    { name: 'LOUDNESS', type: 'float' },
    { name: 'MODE', type: 'int' },
    { name: 'SPEECHINESS', type: 'float' },
    { name: 'ACOUSTICNESS', type: 'float' },
    { name: 'INSTRUMENTALNESS', type: 'float' },
    { name: 'LIVENESS', type: 'float' },
    { name: 'VALENCE', type: 'float' },
    { name: 'TEMPO', type: 'float' },
    { name: 'TIME_SIGNATURE', type: 'int' },
  ],
  version: '1.0',
};

/**
 * Personalize requires at least one metadata field besides USER_ID. Encore knows nothing about
 * listeners beyond what they played, so the field is their most-played genres (empty for a
 * listener whose songs are not in the catalog).
 */
export const USERS_SCHEMA: PersonalizeSchema = {
  type: 'record',
  name: 'Users',
  namespace: NAMESPACE,
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'TOP_GENRES', type: ['null', 'string'], categorical: true },
  ],
  version: '1.0',
};

export const SCHEMAS: Readonly<Record<DatasetType, PersonalizeSchema>> = {
  INTERACTIONS: INTERACTIONS_SCHEMA,
  ITEMS: ITEMS_SCHEMA,
  USERS: USERS_SCHEMA,
};

/** The header line of a dataset's CSV: the schema's field names in schema order, unquoted as Personalize asks. */
export function csvHeader(schema: PersonalizeSchema): string {
  return schema.fields.map((f) => f.name).join(',');
}

/**
 * The filter the API's `genre` parameter uses (PERSONALIZE_FILTER_ARN): `$GENRES` takes a
 * comma-separated list of quoted genres.
 */
export const GENRE_FILTER_EXPRESSION = 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)';
