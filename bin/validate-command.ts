/** `tributary validate`: checks a config and says what is wrong, one line per problem (exit 2), or that it is valid. */
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig } from '../infra/config/schema';
import { InvalidConfigError } from '../tasks/lib/errors';

export function validateCommand(flags: { config?: string; quiet?: boolean }): number {
  const path = flags.config ?? process.env[CONFIG_FILE_VARIABLE] ?? EXAMPLE_CONFIG_PATH;
  try {
    const config = loadConfig(path);
    if (!flags.quiet) console.log(`${path}: valid (organization ${config.organizationId}, ${config.governedRegions.length} governed regions, home ${config.homeRegion})`);
    return 0;
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    for (const problem of error.problems) console.error(`tributary validate: ${problem}`);
    return 2;
  }
}
