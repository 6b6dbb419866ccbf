const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// Node bundle: workspace libraries (@encore/*) are compiled in from source, every npm
// package stays external (externalDependencies 'all' is the default for target 'node')
// and is resolved from the root node_modules at run time. training-worker.js is a second
// entry: the script of the training worker thread (engine code only, no Nest), found by
// the API next to main.js. als-worker.js is the script of the ALS pool threads a training worker starts
// (TRAINING_THREADS > 1), found beside training-worker.js. lambda.js is another: the AWS Lambda handler
// (exports.handler, API Gateway HTTP API events) serving the same app; it finds both workers beside it too.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/api'),
    clean: true,
    // Each entry's exports become module.exports (Lambda loads lambda.js's `handler` by name). The plugin's own
    // libraryTarget default is applied after webpack has normalised the options, so it would leave them unexported.
    library: { type: 'commonjs2' },
    ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      additionalEntryPoints: [
        { entryName: 'training-worker', entryPath: './src/models/training-worker.ts' },
        { entryName: 'als-worker', entryPath: './src/models/als-worker.ts' },
        { entryName: 'lambda', entryPath: './src/lambda.ts' },
      ],
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
      optimization: false,
    }),
  ],
};
