import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './cli';
import { memoryIo } from './testing/memory-io';

describe('runCli', () => {
  it('prints the program help listing every command', async () => {
    const m = memoryIo();
    expect(await runCli(['--help'], m.io)).toBe(EXIT_OK);
    expect(m.stdout()).toContain('Usage: encore <command> [options]');
    expect(m.stdout()).toMatch(/^ {2}ingest +read and validate/m);
    expect(m.stdout()).toMatch(/^ {2}bench +run the benchmark cases/m);
  });

  it('prints the help and exits 2 when no command is given', async () => {
    const m = memoryIo();
    expect(await runCli([], m.io)).toBe(EXIT_USAGE);
    expect(m.stdout()).toContain('Commands:');
  });

  it('prints a command help with --help or "help <command>"', async () => {
    for (const argv of [
      ['ingest', '--help'],
      ['help', 'ingest'],
    ]) {
      const m = memoryIo();
      expect(await runCli(argv, m.io)).toBe(EXIT_OK);
      expect(m.stdout()).toContain('Usage: encore ingest FILE');
      expect(m.stdout()).toContain('--show-rejections N');
    }
  });

  it('exits 2 with a message on stderr for an unknown command', async () => {
    const m = memoryIo();
    expect(await runCli(['ingset', 'x.csv'], m.io)).toBe(EXIT_USAGE);
    expect(m.stdout()).toBe('');
    expect(m.stderr()).toContain(
      'encore: unknown command "ingset"; commands: ingest, simulate, train, evaluate, recommend, similar, personalize, bench',
    );
  });

  it('exits 2 naming the problem and the usage for bad arguments', async () => {
    const m = memoryIo();
    expect(await runCli(['ingest'], m.io)).toBe(EXIT_USAGE);
    expect(m.stderr()).toBe(
      'encore ingest: missing FILE\nUsage: encore ingest FILE [--json] [--threads N] [--columns mapping.json] [--show-rejections N] (see --help)\n',
    );
  });

  it('with --json, reports a usage error as one JSON object on stdout', async () => {
    const m = memoryIo();
    expect(await runCli(['ingest', 'x.csv', '--threads', '0', '--json'], m.io)).toBe(EXIT_USAGE);
    expect(JSON.parse(m.stdout())).toEqual({
      error: { kind: 'usage', message: '--threads must be at least 1, got 0' },
    });
  });

  it('exits 1 for a failure such as a missing file', async () => {
    const m = memoryIo({ cwd: '/tmp' });
    expect(await runCli(['ingest', 'no-such-file.csv', '--json'], m.io)).toBe(EXIT_FAILURE);
    expect(JSON.parse(m.stdout())).toEqual({
      error: { kind: 'failure', message: 'file not found: /tmp/no-such-file.csv' },
    });
    expect(m.stderr()).toContain('encore ingest: file not found: /tmp/no-such-file.csv');
  });
});
