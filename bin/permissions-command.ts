/** `tributary permissions`: the permissions reference of a config (docs/permissions.md is the example config's). */
import type { TributaryConfig } from '../tasks/lib/config';
import { permissionsReference } from '../infra/permissions-reference';
import { configPath, readConfig } from './config-file';
import { reportProblems } from './problems';

export function permissionsCommand(flags: { config?: string }): number {
  let config: TributaryConfig;
  try {
    config = readConfig(configPath(flags.config));
  } catch (error) {
    return reportProblems('permissions', error);
  }
  process.stdout.write(permissionsReference(config));
  return 0;
}
