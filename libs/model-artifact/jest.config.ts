export default {
  displayName: 'model-artifact',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/model-artifact',
};
