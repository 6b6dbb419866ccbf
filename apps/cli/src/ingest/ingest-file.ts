import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import {
  type Catalog,
  decodeCatalogBytes,
  decodeCatalogChunks,
  type IngestOptions,
  type IngestPart,
  type IngestReport,
  ingestCatalog,
  mergeIngestParts,
  parseIngestChunk,
  readCsvHeader,
  resolveColumnLayout,
  splitCsvAtRecordBoundaries,
} from '@encore/catalog';
import { WorkerPool } from '@encore/worker-pool';
import type { CliWorkerTasks } from '../workers/worker-tasks';

/** Above this size a file is read by worker threads unless a thread count is given. */
export const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export interface IngestFileOptions {
  /** Worker threads; 1 reads on the calling thread. Default: {@link defaultThreads} for large files, else 1. */
  threads?: number;
  ingest?: IngestOptions;
  /** The script worker threads run (the CLI bundle). */
  workerScript: string;
  /** Called with (done, total) in bytes (one thread) or parts (workers). */
  onProgress?: (done: number, total: number) => void;
}

export interface IngestFileResult {
  catalog: Catalog;
  report: IngestReport;
  threads: number;
  bytes: number;
}

/**
 * Reads a catalog CSV. One thread streams the file through `ingestCatalog` (bounded memory, byte
 * progress). With N threads the main thread reads the text and cuts it at record boundaries into N
 * chunks; N - 1 worker threads and the main thread parse and validate one chunk each, and the main
 * thread merges the parts in file order (the same result as one thread, by construction).
 */
export async function ingestFile(file: string, options: IngestFileOptions): Promise<IngestFileResult> {
  const startedAt = performance.now();
  const { size: bytes } = await stat(file);
  const threads = options.threads ?? (bytes > PARALLEL_THRESHOLD_BYTES ? defaultThreads() : 1);
  const ingest = options.ingest ?? {};
  if (threads <= 1) {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    let read = 0;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        yield chunk;
        read += chunk.length;
        options.onProgress?.(read, bytes);
      }
    }
    // Strict UTF-8: a Latin-1 or UTF-16 file is refused naming its encoding, not read as mangled text.
    const { catalog, report } = await ingestCatalog(decodeCatalogChunks(chunks()), ingest);
    return { catalog, report: { ...report, ...timing(report.rowsRead, startedAt) }, threads: 1, bytes };
  }

  // The main thread parses the first chunk itself, so N threads means N - 1 workers; they boot
  // (load the bundle) while the file is read.
  const pool = new WorkerPool<CliWorkerTasks>(options.workerScript, threads - 1);
  try {
    const text = decodeCatalogBytes(await readFile(file));
    const layout = resolveColumnLayout(readCsvHeader(text).columns, ingest.columns);
    const chunks = splitCsvAtRecordBoundaries(text, threads);
    let done = 0;
    options.onProgress?.(0, chunks.length);
    const fromWorkers = chunks.slice(1).map(async (chunk) => {
      const part = await pool.run('ingest-chunk', { chunk, layout, options: ingest });
      options.onProgress?.(++done, chunks.length);
      return part;
    });
    const first = parseIngestChunk(chunks[0], layout, ingest);
    options.onProgress?.(++done, chunks.length);
    const parts: IngestPart[] = [first, ...(await Promise.all(fromWorkers))];
    const { catalog, report } = mergeIngestParts(parts, ingest, startedAt);
    return { catalog, report, threads, bytes };
  } finally {
    await pool.close();
  }
}

function timing(rowsRead: number, startedAt: number): Pick<IngestReport, 'elapsedMs' | 'songsPerSecond'> {
  const elapsedMs = performance.now() - startedAt;
  return { elapsedMs, songsPerSecond: elapsedMs > 0 ? Math.round((rowsRead * 1000) / elapsedMs) : 0 };
}
