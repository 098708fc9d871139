/**
 * The config a task Lambda runs with travels in its code bundle, not in its environment: Lambda
 * allows 4 KB of environment variables per function
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and a valid config
 * with many exclusions is larger. infra/constructs/task-function.ts has esbuild replace the
 * identifier below with the validated config's JSON when it bundles the function.
 */
declare const TRIBUTARY_BUNDLED_CONFIG: string | undefined;

/** The global identifier esbuild's `define` replaces. */
export const BUNDLED_CONFIG_IDENTIFIER = 'TRIBUTARY_BUNDLED_CONFIG';

/** The esbuild `define` that puts `configJson` into a bundle. */
export function bundledConfigDefine(configJson: string): Record<string, string> {
  return { [BUNDLED_CONFIG_IDENTIFIER]: JSON.stringify(configJson) };
}

/** The config JSON this bundle was built with, or undefined in an unbundled run. */
export function bundledConfigJson(): string | undefined {
  return typeof TRIBUTARY_BUNDLED_CONFIG === 'string' ? TRIBUTARY_BUNDLED_CONFIG : undefined;
}
