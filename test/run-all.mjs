/**
 * `npm test`: the type check, ESLint and Prettier's check (what `npm run typecheck` and
 * `npm run lint` run) and jest, all at once. Run one after another they left a core idle for
 * the checks' 20 s on two cores. jest's output streams as it runs; each check's output is printed
 * whole, in a fixed order, once all have finished. The exit code is 1 when any failed. Arguments
 * go to jest (`npm test -- test/unit`).
 */
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Each check keeps what it learned about unchanged files under node_modules (which `npm ci`
// empties): a second run here takes about a third of a first's CPU.
const cache = join('node_modules', '.cache', 'tributary');
// The type check is TypeScript 7's (the `typescript7` alias): the same checker, compiled to native
// code, about a quarter of TypeScript 6's 21 s of CPU on a fresh clone. `typescript` stays at 6
// for typescript-eslint and Stryker, which need its JavaScript API.
const CHECKS = [
  {
    name: 'tsc',
    command: process.execPath,
    args: [join(root, 'node_modules', 'typescript7', 'bin', 'tsc'), '--noEmit', '--incremental', '--tsBuildInfoFile', join(cache, 'tsc.tsbuildinfo')],
  },
  { name: 'eslint', args: ['.', '--cache', '--cache-location', join(cache, 'eslint')] },
  { name: 'prettier', args: ['--check', '--log-level', 'warn', '--cache', '--cache-location', join(cache, 'prettier'), '**/*.{ts,js,mjs}'] },
];
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };

function check({ name, command = name, args }) {
  const started = Date.now();
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ name, ok: false, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ name, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

function jest() {
  const child = spawn('jest', process.argv.slice(2), { cwd: root, env, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ ok: false, error }));
    child.on('close', (code) => resolve({ ok: code === 0 }));
  });
}

const [tests, ...checks] = await Promise.all([jest(), ...CHECKS.map(check)]);
if (tests.error) console.error(`jest failed to start: ${tests.error.message}`);
for (const { name, ok, output } of checks) {
  if (output.trim()) process.stdout.write(`${ok ? '' : `${name} failed:\n`}${output.endsWith('\n') ? output : `${output}\n`}`);
}
console.log(`static checks: ${checks.map(({ name, ok, seconds }) => `${name} ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`).join(', ')}`);
process.exitCode = tests.ok && checks.every(({ ok }) => ok) ? 0 : 1;
