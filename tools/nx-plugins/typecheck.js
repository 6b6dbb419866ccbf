// Infers a `typecheck` target for every project that has a tsconfig.json:
// `tsc --noEmit` over each of its tsconfig.{lib,app,spec}.json. The stock
// @nx/js/typescript plugin needs TS project references; this workspace uses
// path aliases from tsconfig.base.json instead, so it gets its own small plugin.
const { dirname, join } = require('node:path');
const { existsSync } = require('node:fs');

const CONFIGS = ['tsconfig.lib.json', 'tsconfig.app.json', 'tsconfig.spec.json'];

module.exports.createNodesV2 = [
  '**/tsconfig.json',
  (files, _options, context) =>
    files
      .map((file) => {
        const root = dirname(file);
        if (root === '.' || !existsSync(join(context.workspaceRoot, root, 'project.json'))) return null;
        const configs = CONFIGS.filter((c) => existsSync(join(context.workspaceRoot, root, c)));
        if (configs.length === 0) return null;
        return [
          file,
          {
            projects: {
              [root]: {
                targets: {
                  typecheck: {
                    command: configs.map((c) => `tsc -p ${c} --noEmit`).join(' && '),
                    options: { cwd: root },
                    cache: true,
                    inputs: ['default', '^default', { externalDependencies: ['typescript'] }],
                  },
                },
              },
            },
          },
        ];
      })
      .filter(Boolean),
];
