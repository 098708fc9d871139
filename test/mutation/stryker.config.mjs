// Stryker over one group of test/mutation/groups.mjs (TRIBUTARY_MUTATE_GROUP), incremental: a rerun
// tests only mutants whose code or tests changed. `npm run mutate` runs every group.
import { writeFileSync } from 'fs';
import { GROUPS } from './groups.mjs';

const name = process.env.TRIBUTARY_MUTATE_GROUP ?? 'event-pattern';
const group = GROUPS[name];
if (!group) throw new Error(`TRIBUTARY_MUTATE_GROUP: "${name}" is not one of ${Object.keys(GROUPS).join(', ')}`);

// The type checker sees only the group's modules, its suites and what they import: checking the
// whole project for every mutant takes minutes a mutant.
const tsconfigFile = `tsconfig.mutate-${name}.json`;
writeFileSync(
  tsconfigFile,
  JSON.stringify({
    extends: './tsconfig.json',
    include: [...group.mutate.filter((m) => !m.startsWith('!')), ...group.tests, 'test/types/**/*.d.ts'],
    exclude: group.mutate.filter((m) => m.startsWith('!')).map((m) => m.slice(1)),
  }),
);

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: { testMatch: group.tests.map((t) => `<rootDir>/${t}`), reporters: ['default'] },
    enableFindRelatedTests: false,
  },
  checkers: group.typeCheck === false ? [] : ['typescript'],
  tsconfigFile,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: group.mutate,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'json'],
  // TRIBUTARY_MUTATE_REPORT lets a run of a few modules (--mutate) report beside the group's full report.
  jsonReporter: { fileName: process.env.TRIBUTARY_MUTATE_REPORT ?? `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportScoreTable: true, reportMutants: false },
  concurrency: 2,
  timeoutMS: 30000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'cdk.out', '.stryker-tmp'],
};
