import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { type ColumnMapping, type IngestReport, SPOTIFY_COLUMNS } from '@encore/catalog';
import { UsageError } from '../args';
import type { Command } from '../command';
import { ingestFile } from '../ingest/ingest-file';

/** The JSON result of `ingest --json`. */
export interface IngestResult extends IngestReport {
  file: string;
  bytes: number;
  threads: number;
  genres: number;
  artists: number;
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'read and validate a catalog CSV (Spotify tracks format) and report what was accepted',
  usage: 'ingest FILE [--json] [--threads N] [--columns mapping.json] [--show-rejections N]',
  positionals: [
    { name: 'FILE', description: 'the CSV file (header line first; see SPOTIFY_COLUMNS for the expected names)' },
  ],
  options: [
    {
      name: 'threads',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'worker threads (default: min(cores, 4) for files over 4 MB, else 1)',
    },
    {
      name: 'columns',
      type: 'string',
      valueName: 'FILE',
      description: 'JSON object mapping attributes to header names, e.g. {"name":"title"}',
    },
    {
      name: 'show-rejections',
      type: 'integer',
      min: 0,
      valueName: 'N',
      description: 'list the first N rejected rows with line numbers (default 10)',
    },
  ],
  async run(args, ctx) {
    const file = resolve(ctx.io.cwd, args.positionals[0]);
    const columns = args.has('columns')
      ? await readColumnMapping(resolve(ctx.io.cwd, args.string('columns') as string))
      : undefined;
    const show = args.number('show-rejections') ?? 10;
    const progress = ctx.progress(`ingest ${basename(file)}`, 1);
    let result;
    try {
      result = await ingestFile(file, {
        threads: args.number('threads'),
        ingest: { columns, maxRejectionsListed: show },
        workerScript: ctx.io.workerScript,
        onProgress: (done, total) => progress.update(done, total),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`file not found: ${file}`);
      throw error;
    } finally {
      progress.finish();
    }
    const { catalog, report, threads, bytes } = result;
    const output: IngestResult = {
      file,
      bytes,
      threads,
      ...report,
      elapsedMs: Math.round(report.elapsedMs * 10) / 10,
      genres: catalog.genreNames.length,
      artists: catalog.artistNames.length,
    };
    ctx.print(formatIngestReport(output));
    return output;
  },
};

async function readColumnMapping(path: string): Promise<Partial<ColumnMapping>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--columns ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `--columns ${path}: expected a JSON object like {"name": "title"}; attributes: ${Object.keys(SPOTIFY_COLUMNS).join(', ')}`,
    );
  }
  return parsed as Partial<ColumnMapping>;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function formatIngestReport(r: IngestResult): string {
  const reasons = Object.entries(r.rejectedByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${count(n)}`)
    .join(', ');
  const rows: [string, string, string?][] = [
    ['rows read', count(r.rowsRead)],
    ['accepted', count(r.accepted)],
    ['rejected', count(r.rejected), reasons],
    ['duplicates merged', count(r.duplicatesMerged), 'same id in another genre'],
    ['songs', count(r.songs), `${count(r.genres)} genres, ${count(r.artists)} artists`],
  ];
  const numberWidth = Math.max(...rows.map((row) => row[1].length));
  const lines = [
    `Ingested ${basename(r.file)} (${(r.bytes / 1e6).toFixed(1)} MB) on ${r.threads} thread${r.threads === 1 ? '' : 's'} in ${(r.elapsedMs / 1000).toFixed(2)} s (${count(r.songsPerSecond)} rows/s)`,
    ...rows.map(
      ([label, value, note]) => `  ${label.padEnd(19)}${value.padStart(numberWidth)}${note ? `  ${note}` : ''}`,
    ),
  ];
  if (r.rejections.length > 0) {
    const more = r.rejected - r.rejections.length;
    lines.push(
      `First ${r.rejections.length} rejected row${r.rejections.length === 1 ? '' : 's'}${more > 0 ? ` (${count(more)} more not listed)` : ''}:`,
    );
    const lineWidth = String(r.rejections[r.rejections.length - 1].line).length;
    for (const rej of r.rejections) lines.push(`  line ${String(rej.line).padStart(lineWidth)}  ${rej.reason}`);
  }
  return lines.join('\n');
}
