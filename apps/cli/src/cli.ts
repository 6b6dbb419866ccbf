import { formatHelp, parseArgs, UsageError } from './args';
import { type CliIo, CommandContext } from './command';
import { commands } from './commands';

const PROGRAM = 'encore';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function programHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options. Every command accepts --json.`,
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns the process exit code (never calls process.exit). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help' || name === '-h') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(
      topic ? formatHelp(`${PROGRAM} ${topic.usage}`, topic.summary, topic.options, topic.positionals) : programHelp(),
    );
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  const ctx = new CommandContext(io, json);
  try {
    if (!command) {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}; commands: ${commands.map((c) => c.name).join(', ')}`,
      );
    }
    const args = parseArgs(rest, command.options, command.positionals);
    if (args.flag('help')) {
      io.stdout.write(formatHelp(`${PROGRAM} ${command.usage}`, command.summary, command.options, command.positionals));
      return EXIT_OK;
    }
    const result = await command.run(args, ctx);
    if (json) io.stdout.write(JSON.stringify(result) + '\n');
    return EXIT_OK;
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    const hint = usage ? `\nUsage: ${PROGRAM} ${command ? command.usage : '<command> [options]'} (see --help)` : '';
    io.stderr.write(`${PROGRAM}${command ? ` ${command.name}` : ''}: ${message}${hint}\n`);
    if (json) io.stdout.write(JSON.stringify({ error: { kind: usage ? 'usage' : 'failure', message } }) + '\n');
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}
