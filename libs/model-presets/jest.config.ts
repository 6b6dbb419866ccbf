export default {
  displayName: 'model-presets',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/model-presets',
};
