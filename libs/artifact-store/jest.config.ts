export default {
  displayName: 'artifact-store',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/artifact-store',
};
