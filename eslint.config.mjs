// ESLint for TypeScript (typescript-eslint's recommended rules, without type information so that
// `npm test` stays fast) and the CDK team's rules (@cdklabs/eslint-plugin). Formatting is Prettier's.
// Every rule turned off below says why.
import js from '@eslint/js';
import cdklabs from '@cdklabs/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'reports/', '.stryker-tmp/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@cdklabs': cdklabs },
    rules: {
      '@cdklabs/no-literal-partition': 'error',
      '@cdklabs/no-this-in-static': 'error',
      '@cdklabs/promiseall-no-unbounded-parallelism': 'error',
      '@cdklabs/no-invalid-path': 'error',
      // A leading underscore marks what is left unused on purpose: a task's context it does not
      // need, a field taken out of a rest destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The simulated organization, the offline engine and the test data live in the aws partition;
    // what is deployed builds its ARNs from the region's partition (tasks/lib/domain.ts partitionOf).
    files: ['sim/**', 'workflows/local/**', 'test/**', 'bench/**'],
    rules: { '@cdklabs/no-literal-partition': 'off' },
  },
  {
    // Concurrency here is what is under test: executions racing on the virtual clock, not calls
    // to AWS; the simulator enforces AWS's rates on them.
    files: ['sim/**', 'test/**', 'bench/**'],
    rules: { '@cdklabs/promiseall-no-unbounded-parallelism': 'off' },
  },
  {
    // JSON documents read by shape: ASL definitions, event patterns, synthesized templates and
    // the SDK inputs the simulator serves. Deployed task code (tasks/) keeps the rule.
    files: ['workflows/local/**', 'workflows/forwarding.ts', 'sim/**', 'infra/permissions-reference.ts', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The CommonJS entry points Node and jest load as they are.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The scripts Node runs as ES modules: this config, the mutation runner and Stryker's config.
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
  },
);
