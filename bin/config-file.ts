/** The organization config an operator command reads, and its problems as the person sees them. */
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../infra/config/schema';
import { InvalidConfigError } from '../tasks/lib/errors';

/** --config, else TRIBUTARY_CONFIG_FILE, else `otherwise` (the committed example unless the command needs the operator's own). */
export function configPath(flag: string | undefined): string;
export function configPath(flag: string | undefined, otherwise: string | undefined): string | undefined;
export function configPath(flag: string | undefined, otherwise: string | undefined = EXAMPLE_CONFIG_PATH): string | undefined {
  return flag ?? process.env[CONFIG_FILE_VARIABLE] ?? otherwise;
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
