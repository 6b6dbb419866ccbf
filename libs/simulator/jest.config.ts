export default {
  displayName: 'simulator',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/simulator',
};
