/**
 * Node.js 22, the Lambda runtime's, for the benches that run in child processes: the
 * TRIBUTARY_BENCH_NODE22 executable, this one when it is 22, or one fetched from the npm registry
 * by `npx -y -p node@22`; undefined with the reason when none works.
 */
import { execFileSync } from 'child_process';

/** Whether this process runs on Node.js 22, the Lambda runtime's major version. */
export function onLambdaNode(): boolean {
  return Number(process.versions.node.split('.')[0]) === 22;
}

let found: { path?: string; reason?: string } | undefined;

/** Looked up once per bench run: the processor bench and the scale benches both ask. */
export function lambdaNode(): { path?: string; reason?: string } {
  found ??= lookUpLambdaNode();
  return found;
}

function lookUpLambdaNode(): { path?: string; reason?: string } {
  if (process.env.TRIBUTARY_BENCH_NODE22) return { path: process.env.TRIBUTARY_BENCH_NODE22 };
  if (onLambdaNode()) return { path: process.execPath };
  try {
    const path = execFileSync('npx', ['-y', '-p', 'node@22', 'node', '-e', 'process.stdout.write(process.execPath)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
    return { path };
  } catch (error) {
    return { reason: (error as Error).message.split('\n')[0] };
  }
}

/** Whether `node` accepts `flag` (an experimental flag comes and goes between minor versions). */
export function acceptsFlag(node: string, flag: string): boolean {
  try {
    execFileSync(node, [flag, '-e', '0'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
