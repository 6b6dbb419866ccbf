const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// One Node bundle that is both the CLI and its worker_threads entry (main.ts branches on
// isMainThread), so `new Worker(__filename)` works from dist without a second entry point.
// Workspace libraries are compiled in from source; npm packages stay external.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/cli'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
      optimization: false,
    }),
  ],
};
