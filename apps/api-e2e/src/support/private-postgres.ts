import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onAbnormalExit } from './child-processes';

const POSTGRES_VERSIONS_DIR = '/usr/lib/postgresql';

/** The newest Debian/Ubuntu PostgreSQL server binaries (…/<major>/bin), else pg_ctl from PATH. */
function binDir(): string {
  if (existsSync(POSTGRES_VERSIONS_DIR)) {
    const majors = readdirSync(POSTGRES_VERSIONS_DIR)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_VERSIONS_DIR, name, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length > 0) return join(POSTGRES_VERSIONS_DIR, majors[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  if (which.status === 0) return join(which.stdout.trim(), '..');
  throw new Error(
    `PostgreSQL server binaries not found (${POSTGRES_VERSIONS_DIR}/<version>/bin or pg_ctl on PATH): install postgresql`,
  );
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user in a directory it owns. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * A PostgreSQL cluster of this test's own (initdb in a temporary directory, trust auth, a free port), so it can be
 * stopped and started while the shared server on 5432 keeps serving everyone else.
 */
export class PrivatePostgres {
  private running = false;

  private constructor(
    readonly port: number,
    private readonly root: string,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {
    onAbnormalExit(() => this.destroy());
  }

  static async start(): Promise<PrivatePostgres> {
    const root = mkdtempSync(join(tmpdir(), 'encore-e2e-pg-'));
    const user = serverUser();
    if (user) chownSync(root, user.uid, user.gid);
    const pg = new PrivatePostgres(await freePort(), root, binDir(), user);
    try {
      pg.run('initdb', ['-D', pg.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
      pg.restart();
    } catch (error) {
      try {
        pg.destroy();
      } catch {
        // the original failure is the one worth reporting
      }
      throw error;
    }
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.root, 'data');
  }

  /** Starts the server and returns once it accepts connections. */
  restart(): void {
    // Marked first: a start that times out may still leave a server behind for destroy() to stop.
    this.running = true;
    this.pgCtl([
      'start',
      '-w',
      '-l',
      join(this.root, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1`,
    ]);
  }

  /** Fast shutdown: open transactions are rolled back and clients disconnected, as in a routine restart. */
  stop(): void {
    if (!this.running) return;
    this.pgCtl(['stop', '-w', '-m', 'fast']);
    this.running = false;
  }

  destroy(): void {
    try {
      if (this.running) this.pgCtl(['stop', '-w', '-m', 'immediate']);
    } finally {
      this.running = false;
      rmSync(this.root, { recursive: true, force: true });
    }
  }

  private pgCtl(args: string[]): void {
    this.run('pg_ctl', ['-D', this.dataDir, ...args]);
  }

  private run(tool: string, args: string[]): void {
    const result = spawnSync(join(this.bin, tool), args, {
      uid: this.user?.uid,
      gid: this.user?.gid,
      cwd: this.root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.status !== 0) {
      throw new Error(`${tool} ${args.join(' ')} failed (${result.status ?? result.error}): ${result.stderr}`);
    }
  }
}
