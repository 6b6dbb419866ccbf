export default {
  displayName: 'collaborative',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/collaborative',
};
