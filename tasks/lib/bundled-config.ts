/**
 * The config a task Lambda runs with travels in its code bundle, not in its environment: Lambda
 * allows 4 KB of environment variables per function
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and a valid config
 * with many exclusions is larger. The member forwarding rule's pattern travels with it: it is
 * computed from the workflow catalog, which a task does not import. infra/constructs/task-function.ts
 * has esbuild replace the identifiers below with their JSON when it bundles the function.
 */
import type { MemberForwarding } from './context';

declare const TRIBUTARY_BUNDLED_CONFIG: string | undefined;
declare const TRIBUTARY_BUNDLED_FORWARDING: string | undefined;

/** What a bundle carries: the validated config's JSON and the forwarding rule for it. */
export interface BundledDeployment {
  readonly configJson: string;
  readonly forwarding: MemberForwarding;
}

/** The esbuild `define` that puts a deployment into a bundle. */
export function bundledDeploymentDefine(deployment: BundledDeployment): Record<string, string> {
  return {
    TRIBUTARY_BUNDLED_CONFIG: JSON.stringify(deployment.configJson),
    TRIBUTARY_BUNDLED_FORWARDING: JSON.stringify(JSON.stringify(deployment.forwarding)),
  };
}

/** The deployment this bundle was built with, or undefined in an unbundled run. */
export function bundledDeployment(): BundledDeployment | undefined {
  if (typeof TRIBUTARY_BUNDLED_CONFIG !== 'string' || typeof TRIBUTARY_BUNDLED_FORWARDING !== 'string') return undefined;
  return { configJson: TRIBUTARY_BUNDLED_CONFIG, forwarding: JSON.parse(TRIBUTARY_BUNDLED_FORWARDING) as MemberForwarding };
}
