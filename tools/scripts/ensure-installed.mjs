// Makes `npm start` and `npm test` work straight after a clone: when the installed packages are
// missing or older than package-lock.json, run `npm ci` first. Kept dependency-free on purpose:
// it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ensureInstalled(root) {
  const marker = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('Encore: installing dependencies (npm ci) …');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error(`Encore: npm ci failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
