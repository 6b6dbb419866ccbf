export default {
  displayName: 'hybrid',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/hybrid',
};
