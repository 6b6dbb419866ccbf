export default {
  displayName: 'dashboard-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  // Starts the built API and a real Chromium; a cold start on a busy 2-core machine takes a while.
  testTimeout: 120_000,
  maxWorkers: 1,
  coverageDirectory: '../../coverage/apps/dashboard-e2e',
};
