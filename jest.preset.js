const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // Jest's 5 s default is a wall-clock assertion in disguise: suites that start the real app, a private Redis or
  // PostgreSQL, or ingest the shared catalog pass in a second or two on an idle machine but not on two busy cores
  // running two projects at once. Speed is measured by `npm run bench`, not here.
  testTimeout: 30_000,
  // ts-jest transpiles file by file because tsconfig.base.json sets `isolatedModules`: type
  // errors are the `typecheck` target's job, and skipping the checker keeps the suites fast.
};
