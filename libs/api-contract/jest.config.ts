export default {
  displayName: 'api-contract',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/api-contract',
};
