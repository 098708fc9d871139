/** `tributary validate`: checks a config and says what is wrong, one line per problem (exit 2), or that it is valid. */
import { configPath, readConfig } from './config-file';
import { reportProblems } from './problems';

export function validateCommand(flags: { config?: string; quiet?: boolean }): number {
  const path = configPath(flags.config);
  try {
    const config = readConfig(path);
    if (!flags.quiet) console.log(`${path}: valid (organization ${config.organizationId}, ${config.governedRegions.length} governed regions, home ${config.homeRegion})`);
    return 0;
  } catch (error) {
    return reportProblems('validate', error);
  }
}
