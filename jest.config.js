const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      // The service and its tests against real MariaDB, Redis, Chromium and Nginx (tests/README.md).
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      // Component specs next to the Vue files they test, in a simulated DOM.
      displayName: 'client',
      testEnvironment: 'jsdom',
      // Node's builds of vue and @vue/test-utils (CommonJS) rather than their browser ES modules.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      roots: ['<rootDir>/client/src'],
      testMatch: ['**/*.spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json', 'vue'],
      transform: { '^.+\\.ts$': swc, '^.+\\.vue$': '<rootDir>/tests/helpers/vueTransform.cjs' },
      // No spec opens a real connection: it plays the server through a fake socket.
      moduleNameMapper: { '^socket\\.io-client$': '<rootDir>/client/src/testing/fakeSocket.ts' },
      setupFilesAfterEnv: ['<rootDir>/client/src/testing/setup.ts'],
    },
  ],
  // Coverage and its threshold are about the server; the client is covered by its specs and
  // the browser tests.
  collectCoverageFrom: ['server/**/*.ts'],
  coverageReporters: ['text-summary', 'text', 'lcov'],
  coverageThreshold: { global: { lines: 80 } },
  // In CI (scripts/ci-test.sh sets CI) the results also go to
  // test-results/junit.xml, which the Jenkinsfile's junit step publishes.
  reporters: process.env.CI
    ? ['default', ['jest-junit', { outputDirectory: 'test-results', outputName: 'junit.xml', suiteName: 'meeple-queue', suiteNameTemplate: '{filepath}', classNameTemplate: '{classname}', titleTemplate: '{title}', addFileAttribute: 'true' }]]
    : ['default'],
  testTimeout: 30000,
  maxWorkers: 2,
};
