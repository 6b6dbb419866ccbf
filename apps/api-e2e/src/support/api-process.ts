import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, isRunning, onAbnormalExit, signalAndWait, terminate } from './child-processes';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const API_MAIN = resolve(REPO_ROOT, 'dist/apps/api/main.js');

/**
 * What every suite's API gets unless it says otherwise: quiet logs, no dashboard, no demo listeners, cheap password
 * hashes (sign-ups are not what is under test), no rate limit in the way of bursts, no model polling.
 */
const DEFAULT_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DASHBOARD_DIR: resolve(REPO_ROOT, 'tmp/no-dashboard'),
  DEMO_LISTENERS: 'false',
  PASSWORD_HASH_COST: '10',
  RATE_LIMIT_PER_MINUTE: '1000000',
  MODEL_POLL_SECONDS: '0',
};

export interface ApiProcessOptions {
  /** The API's environment on top of DEFAULT_ENV; nothing of the test runner's own environment leaks in but PATH. */
  env: Record<string, string>;
  /** How long a start may take until /health answers. Default 60 s (a start that trains on the sample catalog). */
  startTimeoutMs?: number;
}

/**
 * The built API (dist/apps/api/main.js) as a child process on a port chosen once, so that it can be killed and
 * started again at the same address with the same environment (same data directory, same database).
 */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private readonly log: string[] = [];

  private constructor(
    readonly port: number,
    private readonly options: ApiProcessOptions,
  ) {
    onAbnormalExit(() => this.child?.kill('SIGKILL'));
  }

  static async start(options: ApiProcessOptions): Promise<ApiProcess> {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npx nx build api\` first`);
    const api = new ApiProcess(await freePort(), options);
    try {
      await api.restart();
    } catch (error) {
      await api.stop();
      throw error;
    }
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  /** Starts the process (again) and resolves once GET /health answers 200. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('the API is still running');
    this.log.push(`--- start ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...DEFAULT_ENV, PORT: String(this.port), ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (!isRunning(child)) throw new Error(`the API exited before it was healthy:\n${this.output()}`);
      try {
        const res = await fetch(`${this.baseUrl}/health`);
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the API was not healthy after ${timeoutMs} ms (${last}):\n${this.output()}`);
  }

  /** Kills the process the hard way (default SIGKILL: no shutdown hooks, no flushing) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child) await signalAndWait(this.child, signal);
  }

  /** Graceful stop; safe to call when already stopped. */
  async stop(): Promise<void> {
    await terminate(this.child);
  }

  /** The tail of everything the process printed, for failure messages. */
  output(): string {
    return this.log.join('').slice(-6000);
  }
}
