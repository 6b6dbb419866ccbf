import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest directory at or above `from` that holds nx.json (the repo root), or `from` itself. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** The shared datasets live next to the repository: `<repo>/../shared/data`. */
export function defaultDataDir(cwd: string): string {
  return resolve(findWorkspaceRoot(cwd), '../shared/data');
}
