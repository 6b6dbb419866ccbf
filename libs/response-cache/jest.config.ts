export default {
  displayName: 'response-cache',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/response-cache',
};
