/**
 * `tributary plan`: read-only, and exactly what onboarding then does. The simulated organization is
 * planned (0 writes recorded), onboarded (every write recorded), and the two compared item by item;
 * planned again, it has nothing left to change.
 */
import { offlineOrganization } from '../../bin/step-functions';
import { createOfflineEnvironment } from '../../sim/environment';
import { planOrganization, type AccountRegionPlan } from '../../bin/plan-command';
import type { InterceptedCall } from '../../sim/simulated-aws';
import type { AccountId } from '../../tasks/lib/domain';
import { isChange } from '../../tasks/lib/plan';

/** A planned change as a comparable key (excluded and no-slot groups change nothing). */
function plannedKeys(plans: readonly AccountRegionPlan[]): string[] {
  return plans.flatMap(({ account, region, items }) =>
    items.filter(isChange).map((item) => {
      switch (item.kind) {
        case 'subscription-filter':
          return `${account} ${region} filter ${item.logGroup}`;
        case 'flow-log-group':
          return `${account} ${region} flow-log-group`;
        case 'flow-log':
          return `${account} ${region} flow-log ${item.vpcId}`;
        case 'flow-log-delete':
          return `${account} ${region} flow-log-delete ${item.flowLogId}`;
        case 'forwarding-rule':
        case 'forwarding-target':
          return `${account} ${region} ${item.kind}`;
        case 'guardduty':
          return item.action === 'create-member' || item.action === 'invite-member'
            ? `${region} guardduty ${item.action} ${account}`
            : item.action === 'update-organization-configuration'
              ? `${region} guardduty ${item.action}`
              : `${region} guardduty ${item.action} ${item.account}`;
        default:
          return `${account} ${region} ${item.kind}`;
      }
    }),
  );
}

/** A write that took effect, as the same key (the hub's own bookkeeping in DynamoDB aside). */
function writtenKeys(call: InterceptedCall): string[] {
  const { callerAccount: account, region, input } = call;
  switch (`${call.service}.${call.operation}`) {
    case 'CloudWatchLogs.PutSubscriptionFilter':
      return [`${account} ${region} filter ${String(input.logGroupName)}`];
    case 'CloudWatchLogs.CreateLogGroup':
      return [`${account} ${region} flow-log-group`];
    case 'CloudWatchLogs.PutDestinationPolicy':
      return [];
    case 'EC2.CreateFlowLogs':
      return (input.ResourceIds as string[]).map((id) => `${account} ${region} flow-log ${id}`);
    case 'EC2.DeleteFlowLogs':
      return (input.FlowLogIds as string[]).map((id) => `${account} ${region} flow-log-delete ${id}`);
    case 'EventBridge.PutRule':
      return [`${account} ${region} forwarding-rule`];
    case 'EventBridge.PutTargets':
      return [`${account} ${region} forwarding-target`];
    case 'GuardDuty.CreateDetector':
      return [`${region} guardduty create-detector ${account}`];
    case 'GuardDuty.UpdateOrganizationConfiguration':
      return [`${region} guardduty update-organization-configuration`];
    case 'GuardDuty.CreateMembers':
      return (input.AccountDetails as Array<{ AccountId: string }>).map((d) => `${region} guardduty create-member ${d.AccountId}`);
    case 'GuardDuty.InviteMembers':
      return (input.AccountIds as string[]).map((id) => `${region} guardduty invite-member ${id}`);
    case 'GuardDuty.AcceptAdministratorInvitation':
      return [`${region} guardduty accept-invitation ${account}`];
    default:
      return call.service === 'DynamoDB' || !/^(Put|Create|Delete|Update|Accept|Invite|Disassociate|Enable|Tag)/.test(call.operation)
        ? []
        : [`unexpected ${call.service}.${call.operation}`];
  }
}

describe('tributary plan', () => {
  it('writes nothing, and onboarding then performs exactly the planned writes; planned again, nothing is left', async () => {
    // Prepare
    const env = offlineOrganization(undefined, { lateRoles: 0 });
    const accounts = [...env.state.accounts.values()]
      .filter((a) => a.status === 'ACTIVE' && a.id !== env.config.accounts.management)
      .map((a) => a.id as AccountId);
    const regions = env.config.governedRegions;

    // Act: plan
    const writesBefore = env.aws.ledger.writes;
    const plans = await env.clock.run(() => planOrganization(env.context, accounts, regions));
    const writesDuringPlan = env.aws.ledger.writes - writesBefore;

    // Act: onboard every account, recording each write that took effect
    const written: string[] = [];
    env.aws.interceptors.push((call) => {
      if (call.phase === 'after') written.push(...writtenKeys(call));
    });
    const executions = await Promise.all(accounts.map((accountId) => env.runner.start('onboard-account', { accountId })));
    const again = await env.clock.run(() => planOrganization(env.context, accounts, regions));

    // Assess
    expect(writesDuringPlan).toBe(0);
    expect(executions.map((e) => e.status)).toEqual(accounts.map(() => 'SUCCEEDED'));
    const planned = [...new Set(plannedKeys(plans))].sort();
    expect(planned.length).toBeGreaterThan(50);
    expect([...new Set(written)].sort()).toEqual(planned);
    expect(again.flatMap((p) => p.items.filter(isChange))).toEqual([]);
  });
});

describe('tributary plan, GuardDuty organization mode', () => {
  it('reports a governed region whose delegated administrator is missing, with the command that fixes it', async () => {
    // Prepare
    const base = offlineOrganization(undefined, { lateRoles: 0 });
    const env = createOfflineEnvironment({ config: { ...base.config, guardDuty: { ...base.config.guardDuty, mode: 'organization' } } });
    const member = '123456789012' as AccountId;
    env.state.addAccount({ id: member, name: 'workload', regions: env.config.governedRegions, roleMissingAttempts: 0 });
    env.state.guardDutyDelegatedAdmins.delete('eu-west-1');
    // The administrator runs GuardDuty in every region; only the delegation is missing in one.
    for (const region of env.config.governedRegions)
      env.state.accountRegion(env.config.guardDuty.administratorAccount, region).guardDuty.detectorId = `d-admin-${region}`;

    // Act
    const plans = await env.clock.run(() => planOrganization(env.context, [member], env.config.governedRegions));

    // Assess
    const missing = plans.flatMap((p) => p.items.filter((i) => i.kind === 'guardduty-not-delegated').map((i) => [p.region, i]));
    expect(missing).toEqual([
      [
        'eu-west-1',
        {
          kind: 'guardduty-not-delegated',
          account: env.config.guardDuty.administratorAccount,
          fix: `aws guardduty enable-organization-admin-account --admin-account-id ${env.config.guardDuty.administratorAccount} --region eu-west-1`,
        },
      ],
    ]);
  });
});
