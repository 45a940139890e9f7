// typescript-eslint's recommended rules on the sources and the tests; `npm run lint`, and part of `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';
import { importCyclesPlugin, layerRules } from './eslint-layers.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Layout is Prettier's (`npm run format`; `npm run lint` checks it): no eslint rule argues with it.
  prettierConfig,
  {
    // `_name` says "deliberately unused" (a destructured-away field, a parameter a signature needs).
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  // The layers, one direction (README "Layout"): an import upward, or any import cycle, fails the lint.
  ...layerRules(),
  {
    files: ['src/**/*.ts'],
    plugins: { svc: importCyclesPlugin },
    rules: { 'svc/no-import-cycle': 'error' },
  },
  {
    // Tests read docker inspect and svc's own JSON output to assert on it; typing every field of those
    // documents would say nothing the assertions do not. The sources parse Docker's JSON with checks.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
