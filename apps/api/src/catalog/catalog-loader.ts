import { Injectable } from '@nestjs/common';
import { decodeCatalogBytes, ingestCatalogText, type Catalog } from '@encore/catalog';
import { readFile } from 'node:fs/promises';

/** Rejected rows quoted individually in the start-up log; the rest are counted by reason. */
const REJECTIONS_QUOTED = 5;

export interface LoadedCatalog {
  catalog: Catalog;
  /** Data rows read from the source. */
  rows: number;
  /** Rows left out because they were malformed or out of range. */
  rejected: number;
  /** Human-readable remarks worth a warning at start-up (a few rejected rows, counts by reason). */
  notes: string[];
}

/** Reads a catalog from storage; the abstract class is the DI token so tests and later stores can swap it. */
export abstract class CatalogLoader {
  abstract load(path: string): Promise<LoadedCatalog>;
}

/** Reads a Spotify-Kaggle-style CSV file and parses it with the catalog engine (repeated track ids merge their genres). */
@Injectable()
export class CsvFileCatalogLoader extends CatalogLoader {
  async load(path: string): Promise<LoadedCatalog> {
    // Strict UTF-8: a Latin-1 or UTF-16 file fails start-up saying so, instead of loading mangled names.
    const text = decodeCatalogBytes(await readFile(path));
    const { catalog, report } = ingestCatalogText(text, { maxRejectionsListed: REJECTIONS_QUOTED });
    const notes = report.rejections.map((r) => `${path}:${r.line} rejected: ${r.reason}`);
    if (report.rejected > report.rejections.length) {
      const byReason = Object.entries(report.rejectedByReason)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', ');
      notes.push(`${report.rejected} rows rejected in all (${byReason})`);
    }
    return { catalog, rows: report.rowsRead, rejected: report.rejected, notes };
  }
}
