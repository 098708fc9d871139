/**
 * Task `RemoveWiring` (workflow `offboard-account`, with `removeWiring: true`): takes Tributary's
 * own wiring out of one account-region, and nothing else: its subscription filters (the exact name,
 * pointing at our destination), its account-level policy, its flow logs (tagged ours) and its
 * forwarding rule. Foreign filters, flow logs and rules, and every log, stay as they are.
 */
import { DeleteAccountPolicyCommand, DescribeSubscriptionFiltersCommand, DeleteSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { DeleteRuleCommand, ListTargetsByRuleCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { readAccountPolicy } from './lib/account-policy';
import { errorName, toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { isOwnedFlowLog } from './lib/flow-log-plan';
import { lambdaHandler } from './lib/lambda';
import { flowLogsOf, logGroupsOf } from './lib/listings';
import { ACCOUNT_POLICY_NAME, destinationArn, FORWARDING_RULE_NAME, FORWARDING_TARGET_ID, ownsFilter } from './lib/ownership';

export interface RemoveWiringResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly filters: number;
  readonly accountPolicy: boolean;
  readonly flowLogs: number;
  readonly forwardingRule: boolean;
}

async function attempt<T>(
  what: string,
  send: () => Promise<T>,
  gone: (name: string | undefined) => boolean = (name) => name === 'ResourceNotFoundException',
): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if (gone(errorName(error))) return undefined;
    throw toTaskError(error, what);
  }
}

export async function removeWiring(input: unknown, context: TaskContext): Promise<RemoveWiringResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const ours = destinationArn(context.config.accounts.logging, region);
  const logs = await context.clients.logs(accountId, region);
  let filters = 0;
  for await (const group of logGroupsOf(logs, `${accountId} ${region}`)) {
    // A group deleted meanwhile has nothing left to remove.
    const found = await attempt(`logs:DescribeSubscriptionFilters ${group.logGroupName}`, () =>
      logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group.logGroupName })),
    );
    for (const filter of (found?.subscriptionFilters ?? []).filter((f) => ownsFilter(f, ours))) {
      await attempt(`logs:DeleteSubscriptionFilter ${group.logGroupName}`, () =>
        logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group.logGroupName, filterName: filter.filterName })),
      );
      filters++;
    }
  }

  let accountPolicy = false;
  if (context.config.subscription.mode === 'account-policy') {
    const policy = await readAccountPolicy(logs);
    if (policy?.policyName === ACCOUNT_POLICY_NAME && (JSON.parse(policy.policyDocument ?? '{}') as { DestinationArn?: string }).DestinationArn === ours) {
      await attempt(`logs:DeleteAccountPolicy ${ACCOUNT_POLICY_NAME}`, () =>
        logs.send(new DeleteAccountPolicyCommand({ policyName: ACCOUNT_POLICY_NAME, policyType: 'SUBSCRIPTION_FILTER_POLICY' })),
      );
      accountPolicy = true;
    }
  }

  const ec2 = await context.clients.ec2(accountId, region);
  // With flow logs off, the role may not read them (member-role-policy.ts); none of ours are wanted then either.
  const flowLogs = context.config.flowLogs.enabled ? await flowLogsOf(ec2, `${accountId} ${region}`) : [];
  const owned = flowLogs.filter((f) => f.FlowLogId && isOwnedFlowLog(f)).map((f) => f.FlowLogId);
  if (owned.length > 0) await attempt(`ec2:DeleteFlowLogs ${accountId} ${region}`, () => ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: owned })));

  const events = await context.clients.events(accountId, region);
  const targets = await attempt(`events:ListTargetsByRule ${FORWARDING_RULE_NAME}`, () =>
    events.send(new ListTargetsByRuleCommand({ Rule: FORWARDING_RULE_NAME })),
  );
  if (targets?.Targets?.some((t) => t.Id === FORWARDING_TARGET_ID))
    await attempt(`events:RemoveTargets ${FORWARDING_RULE_NAME}`, () =>
      events.send(new RemoveTargetsCommand({ Rule: FORWARDING_RULE_NAME, Ids: [FORWARDING_TARGET_ID] })),
    );
  // A rule with targets of someone else's is not ours alone to delete.
  const others = (targets?.Targets ?? []).filter((t) => t.Id !== FORWARDING_TARGET_ID);
  const forwardingRule =
    targets !== undefined &&
    others.length === 0 &&
    (await attempt(`events:DeleteRule ${FORWARDING_RULE_NAME}`, () => events.send(new DeleteRuleCommand({ Name: FORWARDING_RULE_NAME })))) !== undefined;
  return { accountId, region, filters, accountPolicy, flowLogs: owned.length, forwardingRule };
}

export const handler = lambdaHandler(removeWiring);
