/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/tasks', '<rootDir>/workflows', '<rootDir>/sim'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles, with SWC
  // (a cold ts-jest cache costs a fresh clone about 20 s).
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // Two cores: both run suites (jest's default leaves one to the parent, which mostly waits).
  maxWorkers: 2,
  // One moto launcher for every file's MockConfigFile cases (test/sfn-local/engine.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/workflows/local/polyfills.ts', '<rootDir>/test/quiet.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/async-local-storage.ts'],
  // No test may rely on the wall clock, so none has a wall-clock limit (the largest delay a timer
  // takes): a loaded machine must not fail a slow test. A hang offline is caught by the virtual
  // clock ("work is pending but nothing is asleep"), and anything else by CI's job limit.
  testTimeout: 2 ** 31 - 1,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
