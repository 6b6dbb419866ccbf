export default {
  displayName: 'datasets',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/datasets',
};
