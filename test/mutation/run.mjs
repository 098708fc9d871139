// `npm run mutate [-- [--force] <group> ...]`: Stryker over each group of groups.mjs in turn
// (incremental; --force tests every mutant again: Stryker reuses a survivor's result when only new
// tests were added), then the mutation score per module. Not part of `npm test`: a first run takes
// minutes per group.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { GROUPS } from './groups.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const name of asked) {
  if (!GROUPS[name]) {
    console.error(`mutate: "${name}" is not a group (${Object.keys(GROUPS).join(', ')})`);
    process.exit(2);
  }
}
// Stryker runs the suites in a sandbox copy, where ../shared is not beside them: the shared
// fixtures are named by absolute path (without it the OCSF suite skipped, and left ocsf.ts untested).
const fixtures = [
  ['TRIBUTARY_PATTERN_CORPUS', 'eventbridge-patterns', 'the event-pattern group runs without the EventBridge corpus'],
  ['TRIBUTARY_OCSF_SCHEMA', 'ocsf-schema-1.1.0', 'the data-path group runs without the OCSF schema suite'],
];
const env = { ...process.env };
for (const [variable, folder, without] of fixtures) {
  const path = join(root, '..', 'shared', 'fixtures', folder);
  if (existsSync(path)) env[variable] = path;
  else console.error(`mutate: ${path} not found: ${without}`);
}

const rows = [];
for (const name of asked.length > 0 ? asked : Object.keys(GROUPS)) {
  const run = spawnSync('npx', ['stryker', 'run', 'test/mutation/stryker.config.mjs', ...flags], {
    cwd: root,
    env: { ...env, TRIBUTARY_MUTATE_GROUP: name },
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`mutate: Stryker failed on group ${name} (exit ${run.status})`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(join(root, 'reports', 'mutation', `${name}.json`), 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const detected = count('Killed') + count('Timeout');
    const undetected = count('Survived') + count('NoCoverage');
    rows.push([
      name,
      file,
      mutants.length,
      detected,
      count('Survived'),
      count('NoCoverage'),
      detected + undetected ? ((100 * detected) / (detected + undetected)).toFixed(1) : '-',
    ]);
  }
}
const header = ['group', 'module', 'mutants', 'killed', 'survived', 'no coverage', 'score %'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
