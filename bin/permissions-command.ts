/** `tributary permissions`: the permissions reference of a config (docs/permissions.md is the example config's). */
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../infra/config/schema';
import { permissionsReference } from '../infra/permissions-reference';
import { InvalidConfigError } from '../tasks/lib/errors';

export function permissionsCommand(flags: { config?: string }): number {
  let config: TributaryConfig;
  try {
    config = loadConfig(flags.config ?? process.env[CONFIG_FILE_VARIABLE] ?? EXAMPLE_CONFIG_PATH);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    for (const problem of error.problems) console.error(`tributary permissions: ${problem}`);
    return 2;
  }
  process.stdout.write(permissionsReference(config));
  return 0;
}
