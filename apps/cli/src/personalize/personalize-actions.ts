import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import type { Interaction } from '@encore/datasets';
import {
  type DatasetType,
  EXPORT_FILES,
  EXPORT_REPORT_FILE,
  PersonalizeExport,
  type PersonalizeExportReport,
  PersonalizeSync,
  type PersonalizeSyncPlan,
  type PersonalizeSyncResult,
  readExportDirectory,
  SCHEMAS,
  syncPlanProblems,
} from '@encore/personalize-sync';
import { simulateListeners } from '@encore/simulator';
import { type ParsedArgs, UsageError } from '../args';
import type { CommandContext } from '../command';
import { defaultCatalogPath, loadCatalogFile } from '../data/catalog-file';
import { simulationOptions } from '../data/dataset';
import { parseColumnMapping, readInteractionsFile } from '../data/interactions-file';
import { count, formatTable } from '../format-table';

/** The JSON result of `personalize export --json`. */
export interface PersonalizeExportResult {
  action: 'export';
  out: string;
  catalog: string;
  /** The interactions file, or a description of the simulation. */
  interactions: string;
  files: { type: DatasetType; csv: string; schema: string; bytes: number }[];
  report: PersonalizeExportReport;
  elapsedMs: number;
}

/** The JSON result of `personalize sync --json`. */
export type PersonalizeSyncCommandResult = { action: 'sync'; dir: string } & PersonalizeSyncResult;

/** `encore personalize export`: the three CSVs, their schemas and the report, written under --out. */
export async function runPersonalizeExport(args: ParsedArgs, ctx: CommandContext): Promise<PersonalizeExportResult> {
  const started = performance.now();
  const out = resolve(ctx.io.cwd, args.requiredString('out', 'DIR'));
  const interactionsArg = args.string('interactions');
  if (interactionsArg && (args.has('users') || args.has('seed'))) {
    throw new UsageError('--users and --seed shape simulated listeners: leave them out with --interactions');
  }
  if (!interactionsArg && args.has('columns')) throw new UsageError('--columns applies to --interactions FILE');
  const columnsArg = args.string('columns');
  const columns = columnsArg ? parseColumnMapping(columnsArg) : undefined;
  const catalogFile = resolve(ctx.io.cwd, args.string('catalog') ?? defaultCatalogPath(ctx.io.cwd));
  const catalog = await loadCatalogFile(catalogFile, ctx);

  let rows: Interaction[];
  let source: string;
  if (interactionsArg) {
    const file = resolve(ctx.io.cwd, interactionsArg);
    const read = await readInteractionsFile(file, { columns });
    if (read.format !== 'csv') ctx.warn(`reading ${file} as ${read.format} (detected)`);
    rows = read.rows;
    source = file;
  } else {
    const options = simulationOptions(args.number('users'), args.number('seed'));
    rows = simulateListeners(catalog, options).events;
    source = `${options.users} simulated listeners (seed ${options.seed}) over ${catalogFile}`;
  }

  await mkdir(out, { recursive: true });
  const exporter = new PersonalizeExport(catalog);
  const progress = ctx.progress('personalize export', 3);
  const files: PersonalizeExportResult['files'] = [];
  try {
    for (const type of ['INTERACTIONS', 'ITEMS', 'USERS'] as const) {
      const chunks =
        type === 'INTERACTIONS'
          ? exporter.interactionsCsv(rows)
          : type === 'ITEMS'
            ? exporter.itemsCsv()
            : exporter.usersCsv();
      const csv = join(out, EXPORT_FILES[type].csv);
      const schema = join(out, EXPORT_FILES[type].schema);
      await writeChunks(csv, chunks);
      await writeFile(schema, JSON.stringify(SCHEMAS[type], null, 2) + '\n');
      files.push({ type, csv, schema, bytes: (await stat(csv)).size });
      progress.tick();
    }
  } finally {
    progress.finish();
  }
  const report = exporter.report();
  await writeFile(join(out, EXPORT_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');

  const result: PersonalizeExportResult = {
    action: 'export',
    out,
    catalog: catalogFile,
    interactions: source,
    files,
    report,
    elapsedMs: Math.round(performance.now() - started),
  };
  for (const warning of report.warnings) ctx.warn(`warning: ${warning}`);
  const { interactions: i, items, users } = report;
  ctx.print(
    [
      `Exported ${count(i.rows)} interactions (${count(i.users)} users, ${count(i.items)} songs; ` +
        `left out ${count(i.negativeSkipped)} skips/dislikes), ${count(items.rows)} items and ${count(users.rows)} users to ${out}`,
      `Next: encore personalize sync --dir ${out} --bucket B --role-arn ARN --name NAME`,
    ].join('\n'),
  );
  return result;
}

/**
 * Writes text chunks to `file` through a temporary name, honouring back-pressure, so a failed
 * export never leaves a half-written CSV under the name `sync` looks for.
 */
async function writeChunks(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial);
  try {
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  await rename(partial, file);
}

/** `encore personalize sync`: an export directory into a Personalize dataset group (see PersonalizeSync). */
export async function runPersonalizeSync(args: ParsedArgs, ctx: CommandContext): Promise<PersonalizeSyncCommandResult> {
  const env = ctx.io.env ?? {};
  const dir = resolve(ctx.io.cwd, args.requiredString('dir', 'DIR'));
  const bucket = args.requiredString('bucket', 'B');
  const roleArn = args.requiredString('role-arn', 'ARN');
  const name = args.requiredString('name', 'NAME');
  const region = args.string('region') ?? (env['AWS_REGION'] || undefined);
  if (!region) throw new UsageError('missing --region R (or set AWS_REGION)');
  const endpoint = urlOption(args.string('endpoint') ?? (env['PERSONALIZE_ENDPOINT'] || undefined), 'endpoint');
  const s3Endpoint = urlOption(args.string('s3-endpoint') ?? (env['S3_ENDPOINT'] || undefined), 's3-endpoint');
  const maxWait = args.number('max-wait-minutes');

  const plan: PersonalizeSyncPlan = {
    name,
    bucket,
    prefix: args.string('prefix') ?? '',
    roleArn,
    region,
    datasets: await readExportDirectory(dir),
    userRecipeArn: args.string('user-recipe'),
    filter: !args.flag('no-filter'),
  };
  const problems = syncPlanProblems(plan);
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  const personalize = new PersonalizeClient({ region, ...(endpoint && { endpoint }) });
  const s3 = new S3Client({ region, ...(s3Endpoint && { endpoint: s3Endpoint, forcePathStyle: true }) });
  const progress = ctx.progress('personalize sync', 1);
  const sync = new PersonalizeSync({
    personalize,
    s3,
    ...(maxWait !== undefined && { polling: { maxWaitMs: maxWait * 60_000 } }),
    onProgress: (p) => {
      progress.update(p.done, p.total);
      // Without a bar (not a terminal, or --json) the steps are the progress report.
      if (!progress.enabled) ctx.warn(`[${p.done}/${p.total}] ${p.message}`);
    },
  });
  let result: PersonalizeSyncResult;
  try {
    result = await sync.run(plan);
  } finally {
    progress.finish();
    personalize.destroy();
    s3.destroy();
  }
  ctx.print(formatSync(result));
  return { action: 'sync', dir, ...result };
}

function urlOption(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) {
    throw new UsageError(`--${flag} must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function formatSync(r: PersonalizeSyncResult): string {
  const table = formatTable(
    ['resource', 'name', 'action', 'ARN'],
    r.resources.map((x) => [x.kind, x.name, x.action, x.arn]),
    [],
  );
  return [
    `Dataset group ${r.datasetGroupArn} is ready.`,
    '',
    table,
    '',
    "The API's environment for this dataset group:",
    ...r.envLines,
  ].join('\n');
}
