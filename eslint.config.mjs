import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The domain: rules and data, reachable from HTTP routes, sockets and jobs alike. It must not
 * know how it is reached, so it never imports Express or Socket.IO (entry points do).
 */
const DOMAIN = [
  'server/queue/**',
  'server/games/**',
  'server/stats/**',
  'server/tickets/**',
  'server/models/**',
  'server/auth/users.ts',
  'server/auth/passwords.ts',
];
const ENTRY_POINT_ONLY = 'belongs to the entry points (server/app.ts, server/http, server/realtime, server/jobs), not the domain';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'client/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['client/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // An import cycle makes load order decide what is undefined at start-up, and hides layers.
    files: ['server/**/*.ts', 'client/src/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    settings: {
      // .vue files are linted but not followed (their <script> needs the Vue parser): a cycle
      // through a component goes unseen.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: DOMAIN,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['express', 'socket.io'].map((name) => ({ name, message: `${name} ${ENTRY_POINT_ONLY}` })),
          patterns: [{ group: ['express/*', 'express-*', 'socket.io/*', '@socket.io/*'], message: `Express and Socket.IO ${ENTRY_POINT_ONLY}` }],
        },
      ],
    },
  },
);
