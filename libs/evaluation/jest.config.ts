export default {
  displayName: 'evaluation',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/evaluation',
};
