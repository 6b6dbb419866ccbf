#!/usr/bin/env node
// Scaffolds a library the way every Encore lib is laid out:
//   node tools/scripts/new-lib.mjs <name> <type:engine|util|contract|adapter> <platform:any|node>
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, type, platform = 'any'] = process.argv.slice(2);
if (!name || !['engine', 'util', 'contract', 'adapter'].includes(type)) {
  console.error('usage: new-lib.mjs <name> <engine|util|contract|adapter> [any|node]');
  process.exit(2);
}
const root = join('libs', name);
if (existsSync(root)) {
  console.error(`${root} already exists`);
  process.exit(1);
}
const pure = type !== 'adapter';
const w = (file, text) => {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
};
w('project.json', JSON.stringify({ name, $schema: '../../node_modules/nx/schemas/project-schema.json', sourceRoot: `${root}/src`, projectType: 'library', tags: [`type:${type}`, `platform:${platform}`] }, null, 2) + '\n');
w('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] }, null, 2) + '\n');
w('tsconfig.lib.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', types: platform === 'node' ? ['node'] : [], ...(platform === 'node' ? {} : { lib: ['es2023', 'dom'] }) }, include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts', 'src/testing.ts'] }, null, 2) + '\n');
w('tsconfig.spec.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', module: 'commonjs', types: ['jest', 'node'] }, include: ['jest.config.ts', 'src/**/*.spec.ts', 'src/**/*.d.ts', 'src/testing.ts'] }, null, 2) + '\n');
w('jest.config.ts', `export default {\n  displayName: '${name}',\n  preset: '../../jest.preset.js',\n  testEnvironment: 'node',\n  coverageDirectory: '../../coverage/${root}',\n};\n`);
w(
  'eslint.config.mjs',
  pure
    ? `import baseConfig from '../../eslint.config.mjs';\nimport { pureLibraryRules } from '../../tools/eslint-pure.mjs';\n\nexport default [...baseConfig, pureLibraryRules];\n`
    : `import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig];\n`,
);
w('src/index.ts', '');
const base = JSON.parse(readFileSync('tsconfig.base.json', 'utf8'));
base.compilerOptions.paths[`@encore/${name}`] = [`${root}/src/index.ts`];
base.compilerOptions.paths[`@encore/${name}/testing`] = [`${root}/src/testing.ts`];
base.compilerOptions.paths = Object.fromEntries(Object.entries(base.compilerOptions.paths).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync('tsconfig.base.json', JSON.stringify(base, null, 2) + '\n');
console.log(`created ${root} (type:${type}, platform:${platform})`);
