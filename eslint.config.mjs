import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.passport/**', 'coverage/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
  },
  {
    // Patterns may see text from other agencies: one whose matching time grows faster than the input
    // (backtracking inside a pattern, or a pattern retried from every start position) lets a single
    // message freeze a service's event loop (issue 13). These rules fail the lint on such patterns.
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': [
        'error',
        { report: 'potential', ignoreSticky: false, ignorePartial: false },
      ],
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
  {
    // Tests and benchmarks use packages as their users do, through their entry points (`exports`), so
    // a package's folder layout stays its own business and an installation runs what the tests ran.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(libs/[^/]+|services/[^/]+|infra)/src(/|$)',
              message: 'Import the package (@passport/…) instead of a path into its src/ folder.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
);
