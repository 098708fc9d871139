/**
 * Whether a workflow's work all succeeded, from its own summary: every part of every region that
 * failed, and every log group or VPC that failed inside a part that finished. Pure, so each
 * workflow can end in a failure the alarms see, naming what failed. A log group with no free
 * filter slot is not a failure of Tributary's: it is reported, not failed.
 */

import { causeMessage, parseCause } from './lambda-cause';

type Summary = Record<string, unknown>;

const REGION_PARTS = ['destinationAccess', 'eventForwarding', 'logGroups', 'flowLogs', 'guardDuty'] as const;

/** Lines kept in a failure's cause: a Step Functions cause holds at most 32,768 characters. */
const MAX_LINES = 50;

function record(value: unknown): Summary | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Summary) : undefined;
}

/** Characters of a failure's message kept per line. */
const MAX_MESSAGE = 300;

/**
 * `Error: message` of a failed part: a Lambda-shaped cause gives its errorMessage; a failed child
 * execution (`States.TaskFailed`) gives the child's own error and cause.
 */
function describeFailure(part: Summary): string {
  const error = typeof part.error === 'string' ? part.error : 'Failed';
  const cause = typeof part.cause === 'string' ? part.cause : undefined;
  const child = cause ? parseCause(cause) : undefined;
  if (child && typeof child.Error === 'string') return describeFailure({ error: child.Error, cause: child.Cause });
  const message = causeMessage(cause);
  return message ? `${error}: ${message.slice(0, MAX_MESSAGE)}` : error;
}

/** What failed in one onboard-region summary, one line each, prefixed with the region. */
function regionFailures(summary: Summary): string[] {
  const region = String(summary.region ?? '?');
  const lines: string[] = [];
  for (const name of REGION_PARTS) {
    const part = record(summary[name]);
    if (!part) continue;
    if (part.status === 'Failed') lines.push(`${region} ${name}: ${describeFailure(part)}`);
    const failures = Array.isArray(part.failures) ? (part.failures as Array<Record<string, unknown>>) : [];
    const failedCount = Number((record(part.totals)?.failed as number | undefined) ?? failures.length);
    if (failedCount > 0) {
      const named = failures.map((f) => String(f.logGroupName ?? f.vpcId ?? f.resource ?? '?'));
      lines.push(`${region} ${name}: ${failedCount} failed${named.length > 0 ? ` (${named.join(', ')}${failedCount > named.length ? ', ...' : ''})` : ''}`);
    }
  }
  return lines;
}

/** What failed in an onboard-account or offboard-account summary: each region that failed, and why; after a departure, each departed account whose offboarding failed. */
function accountFailures(summary: Summary): string[] {
  const regions = Array.isArray(summary.regions) ? (summary.regions as Summary[]) : [];
  const departures = Array.isArray(summary.departures) ? (summary.departures as Summary[]) : [];
  return [
    ...regions.flatMap((region) => (region.status === 'Failed' ? [`${String(region.region ?? '?')}: ${describeFailure(region)}`] : regionFailures(region))),
    ...departures.filter((d) => d.status === 'Failed').map((d) => `departed account ${String(d.accountId ?? '?')}: ${describeFailure(d)}`),
  ];
}

/**
 * An onboard-account summary as its readers expect it: each region whose log groups onboard-region
 * left to the account (`Deferred`) gets its entry from the account's paging (`summary.logGroups`).
 * When the page loop failed as a whole, a region its last page had finished keeps that entry, and
 * the others get the loop's failure.
 */
export function withAccountLogGroups(summary: Summary): Summary {
  const paged = summary.logGroups;
  if (paged === undefined) return summary;
  const loop = record(paged);
  const failedAsAWhole: Summary | undefined = loop?.status === 'Failed' ? { status: 'Failed', error: loop.error, cause: loop.cause } : undefined;
  const lastRegions = record(loop?.lastPage)?.regions;
  const entries = (Array.isArray(paged) ? paged : Array.isArray(lastRegions) ? lastRegions : []) as Summary[];
  const regions = Array.isArray(summary.regions) ? (summary.regions as Summary[]) : [];
  const { logGroups: _merged, ...rest } = summary;
  return {
    ...rest,
    regions: regions.map((region) => {
      if (record(region.logGroups)?.status !== 'Deferred') return region;
      const entry = entries.find((e) => e.region === region.region && e.status !== 'Paging');
      const { region: _same, ...logGroups }: Summary = entry ??
        failedAsAWhole ?? { status: 'Failed', error: 'NotPaged', cause: "the account's page loop did not report this region" };
      return { ...region, logGroups };
    }),
  };
}

export function outcomeFailures(workflow: 'onboard-region' | 'onboard-account' | 'offboard-account', summary: Summary): string[] {
  const lines = workflow === 'onboard-region' ? regionFailures(summary) : accountFailures(summary);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `... and ${lines.length - MAX_LINES} more`] : lines;
}
