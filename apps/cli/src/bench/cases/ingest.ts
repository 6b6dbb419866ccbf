import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultThreads, ingestFile } from '../../ingest/ingest-file';
import { BenchSkip, type BenchEnv, defineBenchCase } from '../bench-case';

const CATALOG = 'spotify-tracks-114k/dataset.csv';

function catalogPath(env: BenchEnv): string {
  const file = join(env.dataDir, CATALOG);
  if (!existsSync(file)) throw new BenchSkip(`data not found: ${file}`);
  return file;
}

/** End to end from the file path (read, parse, validate, merge), as `encore ingest` does it. */
export const ingestOneThread = defineBenchCase({
  id: 'ingest-1-thread',
  name: 'ingest (1 thread)',
  unit: 'rows',
  setup: catalogPath,
  run: async (file: string, env) =>
    (await ingestFile(file, { threads: 1, workerScript: env.workerScript })).report.rowsRead,
});

export const ingestWorkers = defineBenchCase({
  id: 'ingest-workers',
  name: `ingest (${defaultThreads()} workers)`,
  unit: 'rows',
  setup: catalogPath,
  run: async (file: string, env) =>
    (await ingestFile(file, { threads: defaultThreads(), workerScript: env.workerScript })).report.rowsRead,
});
