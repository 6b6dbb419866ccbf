export default {
  displayName: 'provider-personalize',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/provider-personalize',
};
