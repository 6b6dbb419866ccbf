export default {
  displayName: 'provider-engine',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/provider-engine',
};
