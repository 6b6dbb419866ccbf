export default {
  displayName: 'recommender-port',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/libs/recommender-port',
};
