#!/usr/bin/env node
// `npm test`: installs when needed, then runs every project's lint, typecheck and tests
// (unit, integration against Redis/PostgreSQL, and end-to-end in Chromium). Extra arguments
// go to Nx, e.g. `npm test -- -p catalog`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
ensureInstalled(root);
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--parallel=2', '--outputStyle=static', ...process.argv.slice(2)];
const result = spawnSync('npx', args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
});
process.exit(result.status ?? 1);
