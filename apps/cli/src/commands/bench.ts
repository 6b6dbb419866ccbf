import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../args';
import { benchCases } from '../bench/cases';
import { formatBenchTable, formatBenchTables, runBenchCases } from '../bench/run-bench';
import type { Command } from '../command';
import { defaultDataDir, findWorkspaceRoot } from '../workspace';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark cases and report median time, throughput and peak memory',
  usage:
    'bench [--json] [--only id,…] [--repeat N] [--out FILE] [--data-dir DIR] [--http-seconds N] [--soak-minutes M] [--soak-rate N]',
  positionals: [],
  options: [
    {
      name: 'only',
      type: 'string',
      valueName: 'IDS',
      description: `comma-separated case ids or id prefixes (e.g. ingest); ${explicitCaseIds()} run only when named`,
    },
    {
      name: 'repeat',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'timed repetitions per case (default: the case decides, usually 5)',
    },
    {
      name: 'out',
      type: 'string',
      valueName: 'FILE',
      description: 'where to write the JSON results (default dist/bench/results.json in the repo)',
    },
    {
      name: 'data-dir',
      type: 'string',
      valueName: 'DIR',
      description: 'shared datasets directory (default <repo>/../shared/data)',
    },
    {
      name: 'http-seconds',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'length of each HTTP load test (default $ENCORE_BENCH_HTTP_SECONDS or 20)',
    },
    {
      name: 'soak-minutes',
      type: 'number',
      min: 0.01,
      valueName: 'M',
      description: 'length of the soak run (`--only soak`; default 10)',
    },
    {
      name: 'soak-rate',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'requests per second of the soak run (default 100)',
    },
  ],
  async run(args, ctx) {
    const cases = selectCases(args.string('only'));
    const cwd = ctx.io.cwd;
    const env = {
      dataDir: resolve(cwd, args.string('data-dir') ?? defaultDataDir(cwd)),
      workerScript: ctx.io.workerScript,
      workspaceRoot: findWorkspaceRoot(cwd),
      httpSeconds: args.number('http-seconds'),
      soakMinutes: args.number('soak-minutes'),
      soakRate: args.number('soak-rate'),
    };
    const results = await runBenchCases(cases, env, {
      repeat: args.number('repeat'),
      onCaseStart: (c) => ctx.warn(`bench: ${c.name}…`),
    });
    const report = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      results,
    };
    const out = resolve(cwd, args.string('out') ?? resolve(findWorkspaceRoot(cwd), 'dist/bench/results.json'));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(report, null, 2) + '\n');
    ctx.print(formatBenchTable(results));
    const tables = results.flatMap((r) => r.tables ?? []);
    if (tables.length > 0) ctx.print(`\n${formatBenchTables(tables)}`);
    ctx.warn(`bench: results written to ${out}`);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0)
      throw new Error(`${failed.length} case(s) failed: ${failed.map((r) => `${r.id} (${r.message})`).join('; ')}`);
    return { ...report, out };
  },
};

function explicitCaseIds(): string {
  return benchCases
    .filter((c) => c.explicit)
    .map((c) => c.id)
    .join(', ');
}

/** Every case but the explicit ones (minutes long) by default; with `--only`, the cases it names by id or prefix. */
export function selectCases(only: string | undefined) {
  if (only === undefined) return benchCases.filter((c) => !c.explicit);
  const tokens = only
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of tokens) {
    if (!benchCases.some((c) => c.id.startsWith(t))) {
      throw new UsageError(`--only ${t}: no such case; cases: ${benchCases.map((c) => c.id).join(', ')}`);
    }
  }
  return benchCases.filter((c) => tokens.some((t) => c.id.startsWith(t)));
}
