/**
 * The checks `npm test` runs before jest: the type check, ESLint and Prettier's check (what
 * `npm run typecheck` and `npm run lint` run), at once rather than one after another. Each is a
 * process of its own, on one core, and they took half a minute in a row on two cores. Each
 * one's output is printed whole, in a fixed order, once all have finished; the exit code is 1
 * when any failed.
 */
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHECKS = [
  { name: 'tsc', args: ['--noEmit'] },
  { name: 'eslint', args: ['.'] },
  { name: 'prettier', args: ['--check', '--log-level', 'warn', '**/*.{ts,js,mjs}'] },
];

function run({ name, args }) {
  const started = Date.now();
  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(name, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ name, ok: false, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ name, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(CHECKS.map(run));
for (const { name, ok, output } of results) {
  if (output.trim()) process.stdout.write(`${ok ? '' : `${name} failed:\n`}${output.endsWith('\n') ? output : `${output}\n`}`);
}
console.log(`static checks: ${results.map(({ name, ok, seconds }) => `${name} ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`).join(', ')}`);
process.exitCode = results.every(({ ok }) => ok) ? 0 : 1;
