#!/usr/bin/env node
// Assembles the Lambda asset of EncoreServerlessStack in dist/apps/api-lambda:
//   lambda.js, training-worker.js, als-worker.js  the api build (npm packages are left external by its webpack config)
//   node_modules/                                 production dependencies only (npm ci --omit=dev, same lockfile)
//   data/sample/                                  the sample catalog, which lambda.js finds by looking upwards from its directory
// Run through `npx nx run infra:package-lambda` (builds the api first). Needs the npm registry or a warm cache.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bundle = join(root, 'dist/apps/api');
const out = join(root, 'dist/apps/api-lambda');

if (!existsSync(join(bundle, 'lambda.js'))) {
  console.error(`${join(bundle, 'lambda.js')} not found: build the api first (npx nx build api)`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
// Source maps stay: the function runs with --enable-source-maps, so stack traces point at the TypeScript.
cpSync(bundle, out, { recursive: true });
cpSync(join(root, 'data/sample'), join(out, 'data/sample'), { recursive: true });
for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(out, file));
const npm = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
if (npm.status !== 0) process.exit(npm.status ?? 1);
console.log(`Lambda asset ready in ${out}`);
