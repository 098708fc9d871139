/** The organization config an operator command reads, and its problems as the person sees them. */
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../tasks/lib/config';
import { InvalidConfigError } from '../tasks/lib/errors';

/** --config, else TRIBUTARY_CONFIG_FILE, else the committed example (offline commands, validate). */
export function configPath(flag: string | undefined): string {
  return ownConfigPath(flag) ?? EXAMPLE_CONFIG_PATH;
}

/** --config, else TRIBUTARY_CONFIG_FILE, else nothing: a command acting on AWS never falls back to the example. */
export function ownConfigPath(flag: string | undefined): string | undefined {
  return flag ?? process.env[CONFIG_FILE_VARIABLE];
}

/** The config at `path`. An invalid one throws an Error whose message is its problems, one per line. */
export function readConfig(path: string): TributaryConfig {
  try {
    return loadConfig(path);
  } catch (error) {
    if (error instanceof InvalidConfigError) throw new Error(error.problems.join('\n'), { cause: error });
    throw error;
  }
}
