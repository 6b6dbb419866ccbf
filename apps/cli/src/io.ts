import type { CliIo } from './command';

export function processIo(workerScript: string): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), workerScript, env: process.env };
}
