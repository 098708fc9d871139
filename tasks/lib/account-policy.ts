/**
 * Subscription mode `account-policy`: one account-level subscription filter policy per member
 * region instead of a filter on each log group. Exclusions are globs, but the policy's selection
 * criteria take exact names (`LogGroupName NOT IN [...]`, at most 50), so the globs are resolved
 * against the account's log groups each time the policy is ensured.
 */
import { DescribeAccountPoliciesCommand, PutAccountPolicyCommand, type AccountPolicy, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import { jsonObject, jsonValue, type AccountId, type LogGroupName, type Region } from './domain';
import { InvalidInputError } from './errors';
import { logGroupsOf } from './listings';
import { ACCOUNT_POLICY_NAME, exclusionMatcher } from './ownership';
import { desiredFilter } from './subscription-filter';
import { filterMatches, type DesiredFilter } from './subscription-plan';

/** CloudWatch Logs accepts at most this many names in a selection criteria's NOT IN list. */
export const MAX_EXCLUDED_NAMES = 50;

export interface AccountPolicyOutcome {
  readonly changed: boolean;
  readonly excludedGroups: number;
}

/** Pure: the policy document and selection criteria for a destination and excluded names. */
export function accountPolicyFor(desired: DesiredFilter, excluded: readonly string[]): { policyDocument: string; selectionCriteria?: string } {
  const policyDocument = JSON.stringify({
    DestinationArn: desired.destinationArn,
    RoleArn: desired.roleArn,
    FilterPattern: desired.filterPattern,
    Distribution: desired.distribution,
  });
  return excluded.length === 0 ? { policyDocument } : { policyDocument, selectionCriteria: `LogGroupName NOT IN ${JSON.stringify([...excluded].sort())}` };
}

/** Tributary's account-level subscription policy in this account-region, if there is one. */
export async function readAccountPolicy(logs: CloudWatchLogsClient): Promise<AccountPolicy | undefined> {
  try {
    const { accountPolicies = [] } = await logs.send(
      new DescribeAccountPoliciesCommand({ policyType: 'SUBSCRIPTION_FILTER_POLICY', policyName: ACCOUNT_POLICY_NAME }),
    );
    return accountPolicies.find((p) => p.policyName === ACCOUNT_POLICY_NAME);
  } catch (error) {
    throw toTaskError(error, 'logs:DescribeAccountPolicies');
  }
}

/** The names a selection criteria excludes (`LogGroupName NOT IN [...]`; none without one), or undefined for anything else. */
function excludedNames(selectionCriteria: string | undefined): string[] | undefined {
  if (selectionCriteria === undefined) return [];
  const list = /NOT IN\s*(\[.*\])/s.exec(selectionCriteria)?.[1];
  const names = list === undefined ? undefined : jsonValue(list);
  return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : undefined;
}

/**
 * Pure: whether `policy` sends `logGroupName` to the destination as desired (the same destination,
 * role, pattern and distribution; a stale pattern is not coverage) and does not exclude it. The
 * policy is read from the member account, which may have written anything into it: a document or
 * criteria not of the form Tributary writes covers nothing.
 */
export function policyCovers(policy: AccountPolicy | undefined, desired: DesiredFilter, logGroupName: string): boolean {
  const document = policy?.policyDocument === undefined ? undefined : jsonObject(policy.policyDocument);
  const excluded = excludedNames(policy?.selectionCriteria);
  if (document === undefined || excluded === undefined) return false;
  const { DestinationArn, RoleArn, FilterPattern, Distribution } = document;
  const asFilter = {
    filterName: ACCOUNT_POLICY_NAME,
    destinationArn: typeof DestinationArn === 'string' ? DestinationArn : '',
    filterPattern: typeof FilterPattern === 'string' ? FilterPattern : '',
    roleArn: typeof RoleArn === 'string' ? RoleArn : undefined,
    distribution: typeof Distribution === 'string' ? Distribution : undefined,
  };
  return filterMatches(asFilter, desired) && !excluded.includes(logGroupName);
}

async function namesToExclude(context: TaskContext, logs: CloudWatchLogsClient, accountId: AccountId): Promise<string[]> {
  const excluded = exclusionMatcher(context.config, accountId);
  const names: string[] = [];
  for await (const g of logGroupsOf(logs, accountId)) if (g.logGroupName && excluded(g.logGroupName as LogGroupName).excluded) names.push(g.logGroupName);
  return names;
}

export async function ensureAccountPolicy(context: TaskContext, accountId: AccountId, region: Region): Promise<AccountPolicyOutcome> {
  const logs = await context.clients.logs(accountId, region);
  const excluded = await namesToExclude(context, logs, accountId);
  if (excluded.length > MAX_EXCLUDED_NAMES) {
    throw new InvalidInputError(
      'config.logGroupExclusions',
      context.config.logGroupExclusions,
      `match ${excluded.length} log groups in ${accountId} ${region}; an account-level policy can exclude at most ${MAX_EXCLUDED_NAMES}: use subscription mode "log-group"`,
    );
  }
  const wanted = accountPolicyFor(desiredFilter(context.config, accountId, region), excluded);
  const current = await readAccountPolicy(logs);
  if (current && current.policyDocument === wanted.policyDocument && current.selectionCriteria === wanted.selectionCriteria)
    return { changed: false, excludedGroups: excluded.length };
  await logs
    .send(new PutAccountPolicyCommand({ policyName: ACCOUNT_POLICY_NAME, policyType: 'SUBSCRIPTION_FILTER_POLICY', scope: 'ALL', ...wanted }))
    .catch((error: unknown) => {
      throw toTaskError(error, `logs:PutAccountPolicy ${ACCOUNT_POLICY_NAME} in ${accountId} ${region}`);
    });
  return { changed: true, excludedGroups: excluded.length };
}
