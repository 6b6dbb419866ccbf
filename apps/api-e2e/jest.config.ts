export default {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  // Each suite starts the built API (and private Redis/PostgreSQL servers) as child processes and breaks them on
  // purpose: one suite at a time keeps their timing independent of each other on a small machine.
  maxWorkers: 1,
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/api-e2e',
};
