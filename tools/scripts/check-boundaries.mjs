#!/usr/bin/env node
// Proves the dependency rules bite: plants one violation at a time (engine → @nestjs/common,
// engine → node:fs, dashboard → an engine lib), runs that project's lint, expects it to fail
// with the right rule, and removes the file again. Nothing planted is ever committed.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cases = [
  { project: 'content', file: 'libs/content/src/planted-violation.ts', code: "import { Injectable } from '@nestjs/common';\nexport const planted = Injectable;\n", rule: '@nx/enforce-module-boundaries' },
  { project: 'content', file: 'libs/content/src/planted-violation.ts', code: "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;\n", rule: 'no-restricted-imports' },
  { project: 'dashboard', file: 'apps/dashboard/src/planted-violation.ts', code: "import { ItemKnn } from '@encore/collaborative';\nexport const planted = ItemKnn;\n", rule: '@nx/enforce-module-boundaries' },
];
let failed = 0;
for (const c of cases) {
  const path = join(root, c.file);
  writeFileSync(path, c.code);
  try {
    const r = spawnSync('npx', ['nx', 'lint', c.project, '--skip-nx-cache', '--outputStyle=static'], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    const out = `${r.stdout}${r.stderr}`;
    const ok = r.status !== 0 && out.includes('planted-violation') && out.includes(c.rule);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.project}: ${c.code.split('\n')[0]} → ${ok ? `rejected by ${c.rule}` : 'NOT rejected'}`);
    if (!ok) failed++;
  } finally {
    rmSync(path, { force: true });
  }
}
process.exit(failed ? 1 : 0);
