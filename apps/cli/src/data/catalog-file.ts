import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Catalog } from '@encore/catalog';
import type { CommandContext } from '../command';
import { ingestFile } from '../ingest/ingest-file';
import { findWorkspaceRoot } from '../workspace';

export const SAMPLE_CATALOG = 'data/sample/catalog.csv';

/** The catalog that ships with the repository, found from the working directory or from the CLI itself. */
export function defaultCatalogPath(cwd: string): string {
  for (const from of [cwd, __dirname]) {
    const candidate = resolve(findWorkspaceRoot(from), SAMPLE_CATALOG);
    if (existsSync(candidate)) return candidate;
  }
  return resolve(cwd, SAMPLE_CATALOG);
}

/** Reads a catalog CSV (Spotify tracks format) with a progress bar; rejected rows are skipped as `ingest` reports them. */
export async function loadCatalogFile(file: string, ctx: CommandContext): Promise<Catalog> {
  const progress = ctx.progress(`catalog ${basename(file)}`, 1);
  try {
    const { catalog } = await ingestFile(file, {
      workerScript: ctx.io.workerScript,
      onProgress: (done, total) => progress.update(done, total),
    });
    if (catalog.size === 0) throw new Error(`catalog ${file} holds no valid songs`);
    return catalog;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`catalog not found: ${file}`);
    throw error;
  } finally {
    progress.finish();
  }
}

/** "Name — Artist, Artist" for song i. */
export function songLabel(catalog: Catalog, i: number): string {
  const artists = catalog.artistsOf(i).join(', ');
  return artists ? `${catalog.names[i]} — ${artists}` : catalog.names[i];
}
