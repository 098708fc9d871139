/**
 * Runs a `tributary` command line in this process (bin/cli.ts `run`), capturing what it prints:
 * a spawned process per command would cost a second or two of start-up each. `env` replaces the
 * given variables for the run (undefined removes one), restored afterwards.
 */
import { run } from '../../bin/cli';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** No AWS anywhere: no keys, no profile files, no instance metadata. */
export const NO_AWS: Readonly<Record<string, string | undefined>> = {
  HOME: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  TRIBUTARY_CONFIG_FILE: undefined,
};

export async function tributary(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((...parts) => void (stdout += `${parts.join(' ')}\n`)),
    jest.spyOn(console, 'error').mockImplementation((...parts) => void (stderr += `${parts.join(' ')}\n`)),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true)),
  ];
  try {
    return { code: await run(['node', 'tributary', ...args]), stdout, stderr };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
