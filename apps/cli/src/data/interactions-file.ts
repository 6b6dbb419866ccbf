import { readFile } from 'node:fs/promises';
import {
  type Interaction,
  type InteractionColumns,
  parseInteractionsCsv,
  parseLastfmUserArtists,
  parseMovieLens100k,
} from '@encore/datasets';
import { UsageError } from '../args';

/** How an interactions file is laid out. */
export type InteractionsFormat = 'csv' | 'movielens-100k' | 'lastfm-2k';

export interface ReadInteractionsOptions {
  /** Default: detected from the first line (see detectInteractionsFormat). */
  format?: InteractionsFormat;
  /** Header names for the generic format, e.g. { userId: 'listener' }. */
  columns?: Partial<InteractionColumns>;
}

export interface InteractionsFile {
  file: string;
  format: InteractionsFormat;
  rows: Interaction[];
}

const MOVIELENS_ROW = /^[^\t,]+\t[^\t]+\t\d+(\.\d+)?\t\d+\r?$/;
const LASTFM_HEADER = /^userID\tartistID\tweight\r?$/;

/**
 * MovieLens `u.data` (4 tab-separated numbers, no header) and HetRec Last.fm `user_artists.dat`
 * (header `userID artistID weight`) are recognised by their first line, so the raw files work
 * without a flag; anything else is the generic CSV/TSV with a header.
 */
export function detectInteractionsFormat(text: string): InteractionsFormat {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
  if (LASTFM_HEADER.test(first)) return 'lastfm-2k';
  if (MOVIELENS_ROW.test(first)) return 'movielens-100k';
  return 'csv';
}

/**
 * Parses interaction rows in any supported format. MovieLens ratings are kept as weights (the
 * best-known MovieLens model of @encore/model-presets uses them as confidences; every rating still
 * counts as relevant when held out, the Microsoft Recommenders protocol); Last.fm play counts too.
 */
export function parseInteractionsText(
  text: string,
  file: string,
  options: ReadInteractionsOptions = {},
): Interaction[] {
  const format = options.format ?? detectInteractionsFormat(text);
  if (format === 'movielens-100k') return parseMovieLens100k(text);
  if (format === 'lastfm-2k') return parseLastfmUserArtists(text);
  return parseInteractionsCsv(text, { columns: options.columns, source: file });
}

export async function readInteractionsFile(
  file: string,
  options: ReadInteractionsOptions = {},
): Promise<InteractionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`file not found: ${file}`);
    throw error;
  }
  const format = options.format ?? detectInteractionsFormat(text);
  const rows = parseInteractionsText(text, file, { ...options, format });
  if (rows.length === 0) throw new Error(`${file} holds no interactions`);
  return { file, format, rows };
}

const COLUMN_KEYS: Record<string, keyof InteractionColumns> = {
  user: 'userId',
  item: 'itemId',
  weight: 'weight',
  event: 'event',
  timestamp: 'timestamp',
};

/** `user=listener,item=song` → { userId: 'listener', itemId: 'song' }. */
export function parseColumnMapping(spec: string): Partial<InteractionColumns> {
  const out: Partial<InteractionColumns> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = COLUMN_KEYS[part.slice(0, eq).trim()];
    const name = part.slice(eq + 1).trim();
    if (eq < 0 || !key || name === '') {
      throw new UsageError(
        `--columns ${JSON.stringify(part)}: expected FIELD=HEADER with FIELD one of ${Object.keys(COLUMN_KEYS).join(', ')}`,
      );
    }
    out[key] = name;
  }
  return out;
}
