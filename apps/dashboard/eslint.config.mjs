import baseConfig from '../../eslint.config.mjs';
import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...baseConfig,
  ...pluginQuery.configs['flat/recommended-strict'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@tanstack/query/prefer-query-options': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
];
