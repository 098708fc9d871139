/** `tributary permissions`: the permissions reference of a config (docs/permissions.md is the example config's). */
import type { TributaryConfig } from '../infra/config/schema';
import { permissionsReference } from '../infra/permissions-reference';
import { configPath, readConfig } from './config-file';

export function permissionsCommand(flags: { config?: string }): number {
  let config: TributaryConfig;
  try {
    config = readConfig(configPath(flags.config));
  } catch (error) {
    for (const line of (error as Error).message.split('\n')) console.error(`tributary permissions: ${line}`);
    return 2;
  }
  process.stdout.write(permissionsReference(config));
  return 0;
}
