/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/tasks', '<rootDir>/workflows', '<rootDir>/sim'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Two cores: both run suites (jest's default leaves one to the parent, which mostly waits).
  maxWorkers: 2,
  setupFiles: ['<rootDir>/workflows/local/polyfills.ts', '<rootDir>/test/quiet.ts'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
