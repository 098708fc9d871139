/** The problems a config refusal lists for the example config with `overrides`, or none. */
import { readFileSync } from 'fs';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../../tasks/lib/config';
import { InvalidConfigError } from '../../tasks/lib/errors';

export const example = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, any>;

export function problems(overrides: object): readonly string[] {
  try {
    parseConfig({ ...example, ...overrides });
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  return [];
}
