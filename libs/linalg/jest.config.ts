export default {
  displayName: 'linalg',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/linalg',
};
