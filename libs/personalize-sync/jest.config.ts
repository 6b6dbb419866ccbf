export default {
  displayName: 'personalize-sync',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/personalize-sync',
};
