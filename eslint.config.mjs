import nx from '@nx/eslint-plugin';

const serverOnly = ['@nestjs/*', '@aws-sdk/*', 'ioredis', 'pg', 'better-sqlite3', 'express', 'class-validator', 'class-transformer'];
const uiOnly = ['react', 'react-*', 'react/*', '@tanstack/*'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/vite.config.*.timestamp*', '**/node_modules', '.nx', 'tmp', 'coverage'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    // Tool configs import shared config files by path; they are not part of any module graph.
    ignores: ['**/eslint.config.mjs', '**/jest.config.ts', '**/vite.config.ts', '**/webpack.config.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          // One-way dependencies: apps → adapters → engine → util; contracts are leaves.
          // No '*' catch-all on purpose: a project without a known tag may depend on nothing.
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:adapter', 'type:engine', 'type:contract', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contract', 'type:util'] },
            {
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: ['type:engine', 'type:contract', 'type:util'],
              bannedExternalImports: ['@nestjs/*', ...uiOnly],
            },
            {
              sourceTag: 'type:engine',
              onlyDependOnLibsWithTags: ['type:engine', 'type:util'],
              bannedExternalImports: [...serverOnly, ...uiOnly],
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: [...serverOnly, ...uiOnly] },
            {
              sourceTag: 'type:contract',
              onlyDependOnLibsWithTags: ['type:contract'],
              bannedExternalImports: [...serverOnly, ...uiOnly],
            },
            {
              sourceTag: 'platform:browser',
              onlyDependOnLibsWithTags: ['type:contract'],
              bannedExternalImports: ['@nestjs/*', '@aws-sdk/*', 'ioredis', 'pg', 'better-sqlite3', 'ml-matrix'],
            },
            { sourceTag: 'platform:any', onlyDependOnLibsWithTags: ['platform:any'] },
            { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:any'], bannedExternalImports: uiOnly },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
