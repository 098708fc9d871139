/**
 * The Step Functions engine the MockConfigFile cases run on besides our own interpreter:
 * `SFN_LOCAL_ENDPOINT` when set (Step Functions Local or LocalStack, started with
 * `SFN_MOCK_CONFIG` pointing at `npm run sfn-local:mock-config`'s file), otherwise the moto
 * launcher beside this file when Python has moto 5.2.1, otherwise none (with a notice). Under jest,
 * test/global-setup.ts looks once and starts one launcher that every test file shares.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { readdirSync, existsSync, writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadMockConfig, type MockConfigFile } from '../../workflows/local/mock-config';

export const LAUNCHER = join(__dirname, 'moto_sfn_server.py');
/** Set by test/global-setup.ts: the shared launcher's endpoint, or why there is none. */
export const SHARED_MOTO_ENDPOINT = 'TRIBUTARY_SHARED_MOTO_ENDPOINT';
export const SHARED_ENGINE_UNAVAILABLE = 'TRIBUTARY_SHARED_ENGINE_UNAVAILABLE';
const PINNED_MOTO = '5.2.1';
const WORKFLOW_TESTS = join(__dirname, '..', 'workflows');

export interface Engine {
  readonly endpoint: string;
  readonly description: string;
  stop(): void;
}

/** Every workflow's MockConfigFile as one file, as Step Functions Local and LocalStack load it. */
export function mergedMockConfig(): MockConfigFile {
  const merged: { StateMachines: MockConfigFile['StateMachines']; MockedResponses: MockConfigFile['MockedResponses'] } = {
    StateMachines: {},
    MockedResponses: {},
  };
  for (const folder of readdirSync(WORKFLOW_TESTS)) {
    const file = join(WORKFLOW_TESTS, folder, 'MockConfigFile.json');
    if (!existsSync(file)) continue;
    const config = loadMockConfig(file);
    Object.assign(merged.StateMachines, config.StateMachines);
    for (const [name, responses] of Object.entries(config.MockedResponses)) {
      const earlier = merged.MockedResponses[name];
      if (earlier && JSON.stringify(earlier) !== JSON.stringify(responses))
        throw new Error(`mocked response ${name} differs between MockConfigFiles (${file}); rename one`);
      merged.MockedResponses[name] = responses;
    }
  }
  return merged;
}

function motoProblem(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'python3 with moto is not installed here';
  const version = probe.stdout.trim();
  return version === PINNED_MOTO ? undefined : `moto ${version} is installed; the launcher patches moto ${PINNED_MOTO} only`;
}

function startMoto(mockConfigFile: string): Promise<Engine> {
  const child: ChildProcess = spawn('python3', [LAUNCHER], { env: { ...process.env, SFN_MOCK_CONFIG: mockConfigFile }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // No deadline on the start: a loaded machine may take long to import moto, and a launcher that
  // fails exits with its reason. One that hangs is caught by CI's job limit, as a hanging test is.
  return new Promise<Engine>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the moto launcher exited with ${code}: ${stderr}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      const listening = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (!listening) return;
      child.removeAllListeners('exit');
      resolve({ endpoint: listening[1]!, description: `moto ${PINNED_MOTO}'s Step Functions interpreter at ${listening[1]}`, stop: () => child.kill() });
    });
  });
}

/** Why no engine can run here, or undefined when one can (checked without starting it). */
export function engineUnavailable(): string | undefined {
  if (process.env.SFN_LOCAL_ENDPOINT || process.env[SHARED_MOTO_ENDPOINT]) return undefined;
  return process.env[SHARED_ENGINE_UNAVAILABLE] ?? motoProblem();
}

/** Starts (or names) the engine; call only when engineUnavailable() is undefined. */
export async function startEngine(): Promise<Engine> {
  const endpoint = process.env.SFN_LOCAL_ENDPOINT;
  if (endpoint) return { endpoint, description: `the Step Functions endpoint ${endpoint}`, stop: () => undefined };
  const shared = process.env[SHARED_MOTO_ENDPOINT];
  if (shared) return { endpoint: shared, description: `moto ${PINNED_MOTO}'s Step Functions interpreter at ${shared}, shared`, stop: () => undefined };
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-sfn-mocks-')), 'MockConfigFile.json');
  writeFileSync(file, JSON.stringify(mergedMockConfig()));
  return startMoto(file);
}
