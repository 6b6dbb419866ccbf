// Shared by the engine, util and contract libraries' eslint configs: Node built-ins are not
// npm packages in the project graph, so module boundaries cannot ban them; this rule does.
export const pureLibraryRules = {
  files: ['**/*.ts'],
  ignores: ['**/*.spec.ts', '**/testing.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'child_process', 'worker_threads', 'os', 'stream', 'crypto', 'zlib'],
            message: 'Engine, util and contract libraries do no I/O: take data in, return data; apps and adapters own files, sockets and threads.',
          },
        ],
      },
    ],
  },
};
