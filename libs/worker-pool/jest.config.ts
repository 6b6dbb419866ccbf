export default {
  displayName: 'worker-pool',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/worker-pool',
};
