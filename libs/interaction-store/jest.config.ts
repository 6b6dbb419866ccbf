export default {
  displayName: 'interaction-store',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/interaction-store',
};
