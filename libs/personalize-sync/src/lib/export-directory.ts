import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DATASET_TYPES, type DatasetType } from './personalize-schemas';

/** File names of an export directory (what `encore personalize export` writes and `sync` reads). */
export const EXPORT_FILES: Readonly<Record<DatasetType, { csv: string; schema: string }>> = {
  INTERACTIONS: { csv: 'interactions.csv', schema: 'interactions.schema.json' },
  ITEMS: { csv: 'items.csv', schema: 'items.schema.json' },
  USERS: { csv: 'users.csv', schema: 'users.schema.json' },
};
export const EXPORT_REPORT_FILE = 'export-report.json';

/** One dataset's CSV as the sync uploads and imports it. */
export interface DatasetUpload {
  type: DatasetType;
  /** Object name under the S3 prefix. */
  fileName: string;
  /** The Avro schema JSON the CSV was written against. */
  schema: string;
  /** Bytes. */
  size: number;
  /** Hex SHA-256 of the CSV: names the import job and lets a re-run skip an unchanged upload. */
  sha256: string;
  /** A fresh body each call (a throttled upload is retried from the start). */
  body(): Readable | Uint8Array;
}

/**
 * The datasets of an export directory: interactions are required, items and users are taken
 * when both their CSV and schema are there. Hashing streams the files, so a 100 MB export is
 * not held in memory.
 */
export async function readExportDirectory(dir: string): Promise<DatasetUpload[]> {
  const out: DatasetUpload[] = [];
  for (const type of DATASET_TYPES) {
    const names = EXPORT_FILES[type];
    const csvPath = join(dir, names.csv);
    const schemaPath = join(dir, names.schema);
    const [csvStat, schemaText] = await Promise.all([
      stat(csvPath).catch(missing),
      readFile(schemaPath, 'utf8').catch(missing),
    ]);
    if (csvStat === null || schemaText === null) {
      if (type === 'INTERACTIONS') {
        throw new Error(
          `${dir} has no ${csvStat === null ? names.csv : names.schema}: run "encore personalize export --out ${dir}" first`,
        );
      }
      continue;
    }
    try {
      JSON.parse(schemaText);
    } catch (error) {
      throw new Error(`${schemaPath} is not valid JSON: ${(error as Error).message}`);
    }
    out.push({
      type,
      fileName: names.csv,
      schema: schemaText,
      size: csvStat.size,
      sha256: await sha256File(csvPath),
      body: () => createReadStream(csvPath),
    });
  }
  return out;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function missing(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT') return null;
  throw error;
}
