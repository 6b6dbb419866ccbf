import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, isRunning, onAbnormalExit, signalAndWait } from './child-processes';

/** Sends one command in RESP and resolves with the first reply line (enough for PING, SAVE and simple replies). */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`redis on port ${port}: no reply to ${args[0]}`)));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      socket.end();
      const line = reply.slice(0, end);
      if (line.startsWith('-')) reject(new Error(`redis: ${line.slice(1)}`));
      else resolve(line);
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/**
 * A redis-server of this test's own on a free port, never the shared one on 6379: it is stopped and started again
 * on the same port. No automatic persistence (`--save "" --appendonly no`); `stop({ keepData: true })` writes one
 * snapshot first, which the next start loads, for a Redis that comes back with what it held.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    onAbnormalExit(() => {
      this.child?.kill('SIGKILL');
      rmSync(this.dir, { recursive: true, force: true });
    });
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'encore-e2e-redis-')));
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    if (isRunning(this.child)) throw new Error('redis is still running');
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--dbfilename',
        'dump.rdb',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.on('error', (error) => (this.log += `${error}\n`));
    await eventually(`redis-server answers on port ${this.port}`, async () => {
      if (!isRunning(child)) throw new Error(`redis-server exited: ${this.log}`);
      return (await redisCommand(this.port, 'PING')) === '+PONG' ? true : undefined;
    });
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    if (!isRunning(this.child)) return;
    if (options.keepData) await redisCommand(this.port, 'SAVE');
    // SIGKILL: a crash, not a shutdown; without automatic persistence nothing else would be written anyway.
    await signalAndWait(this.child, 'SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
