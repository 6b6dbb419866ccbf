import type { OptionSpec, ParsedArgs, PositionalSpec } from './args';
import { ProgressBar, type ProgressStream } from './progress-bar';

/** Where a command talks to: the process streams in production, string buffers in tests. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: ProgressStream;
  /** Relative paths are resolved against this. */
  cwd: string;
  /** Script that worker threads run: the CLI bundle itself (see main.ts). */
  workerScript: string;
  /** Environment variables the CLI reads (S3_ENDPOINT, ARTIFACT_S3_KMS_KEY_ID, AWS_REGION); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What a command gets besides its arguments. `print` is the human-readable output: stdout normally,
 * stderr with `--json` (stdout then carries only the JSON object the command returns).
 */
export class CommandContext {
  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  print(text: string): void {
    (this.json ? this.io.stderr : this.io.stdout).write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Diagnostics and warnings: always stderr. */
  warn(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** A progress bar that draws only when stderr is a terminal and --json is off. */
  progress(label: string, total: number): ProgressBar {
    return new ProgressBar(this.io.stderr, label, total, { enabled: !this.json && this.io.stderr.isTTY === true });
  }
}

/**
 * One CLI command. `run` returns the machine-readable result (printed as JSON with --json) and
 * prints its human output through `ctx.print`. Throw `UsageError` for bad input (exit 2) and any
 * other Error for failures (exit 1); return normally for success (exit 0).
 */
export interface Command {
  name: string;
  /** One line, shown in the program help. */
  summary: string;
  /** e.g. `ingest FILE [options]` */
  usage: string;
  positionals: readonly PositionalSpec[];
  options: readonly OptionSpec[];
  run(args: ParsedArgs, ctx: CommandContext): Promise<object>;
}
