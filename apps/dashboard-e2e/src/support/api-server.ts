import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
const MAIN = resolve(REPO_ROOT, 'dist/apps/api/main.js');
const DASHBOARD_INDEX = resolve(REPO_ROOT, 'dist/apps/dashboard/index.html');

export interface RunningApi {
  baseUrl: string;
  stop: () => Promise<void>;
  /** Everything the API printed, for failure messages. */
  output: () => string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`API exited with code ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API not healthy after ${timeoutMs} ms (${lastError}):\n${output()}`);
}

export interface StartApiOptions {
  /** Extra environment for the API process (e.g. ENCORE_ADMIN_USER / ENCORE_ADMIN_PASSWORD). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Starts the real built API (which also serves the built dashboard) on a free port, with its own empty
 * ENCORE_DATA_DIR (SQLite database, JWT secret) in a temp directory, so every run starts clean.
 */
export async function startApi({ env = {}, timeoutMs = 60_000 }: StartApiOptions = {}): Promise<RunningApi> {
  for (const file of [MAIN, DASHBOARD_INDEX]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`npx nx run-many -t build -p api dashboard\` first`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'encore-dashboard-e2e-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      ENCORE_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  const output = () => chunks.join('').slice(-4000);

  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(killer);
        done();
      });
      child.kill('SIGTERM');
    }).then(() => rmSync(dataDir, { recursive: true, force: true }));

  try {
    await waitForHealth(baseUrl, child, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop, output };
}
