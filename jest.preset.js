const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // ts-jest transpiles file by file because tsconfig.base.json sets `isolatedModules`: type
  // errors are the `typecheck` target's job, and skipping the checker keeps the suites fast.
};
