#!/usr/bin/env node
// `npm start`: builds the API (and the dashboard, when that project exists), then runs the API
// bundle, which also serves the dashboard on the same port. Environment variables pass through
// (PORT, HOST, CATALOG_PATH, …; see apps/api/README.md). Nx caches the builds, so a second start
// only pays for what changed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
ensureInstalled(root);
const projects = ['api', ...(existsSync(join(root, 'apps/dashboard/project.json')) ? ['dashboard'] : [])];
const bundle = join(root, 'dist/apps/api/main.js');

console.log(`Encore: building ${projects.join(' + ')} …`);
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=static'], {
  cwd: root,
  stdio: 'inherit',
  // The build runs with NODE_ENV=production (set by the webpack/vite targets); the app's variables are not its business.
  env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
});
if (build.status !== 0) {
  console.error(`Encore: build failed (exit ${build.status ?? build.signal}); not starting.`);
  process.exit(build.status ?? 1);
}
if (!existsSync(bundle)) {
  console.error(`Encore: ${bundle} is missing after the build; not starting.`);
  process.exit(1);
}

const port = process.env.PORT || '3000';
const host = process.env.HOST || '127.0.0.1';
console.log(
  `Encore: starting the API on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (Ctrl+C stops it) …`,
);
const api = spawn(process.execPath, [bundle], { cwd: root, stdio: 'inherit', env: process.env });

// Forward stop signals so Nest's shutdown hooks run; a second Ctrl+C kills the API outright.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) api.kill('SIGKILL');
    stopping = true;
    api.kill(signal);
  });
}
api.on('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});
api.on('error', (error) => {
  console.error('Encore: could not start the API:', error.message);
  process.exit(1);
});
