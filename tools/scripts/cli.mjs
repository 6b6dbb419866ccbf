#!/usr/bin/env node
// `npm run cli -- <command> [args]`: builds the CLI bundle through Nx (a cache hit when nothing
// changed, so it costs about a second) and runs it with the given arguments. Build output goes to
// stderr and only shows on failure, so stdout carries nothing but the command's own output
// (use `npm run -s cli -- … --json` to drop npm's banner lines too).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = spawnSync('npx', ['nx', 'build', 'cli', '--outputStyle=static'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (build.error || build.status !== 0) {
  process.stderr.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  process.stderr.write(
    `cli.mjs: "nx build cli" failed${build.error ? `: ${build.error.message}` : ` with exit code ${build.status}`}\n`,
  );
  process.exit(1);
}

// The CLI resolves relative paths against the directory npm was started from.
const cwd = process.env.INIT_CWD ?? process.cwd();
const child = spawn(process.execPath, [join(root, 'dist/apps/cli/main.js'), ...process.argv.slice(2)], {
  cwd,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
