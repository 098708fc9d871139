/**
 * Issue #18 item 1: what cannot be repaired once done is prevented by the SCP Tributary generates.
 * With `tamperRepair.serviceControlPolicy: "deploy"` the simulator decides every call of a member's
 * people, and of Tributary's own roles, by that SCP too: the people are refused, Tributary is not.
 */
import { DeleteFlowLogsCommand, CreateFlowLogsCommand } from '@aws-sdk/client-ec2';
import { SCP_MAX_CHARACTERS, tamperPreventionPolicyText } from '../../../infra/tamper-prevention-policy';
import { loadConfig } from '../../../tasks/lib/config';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { disableForwardingRule, onboardedForTampering, TAMPER_ACTIONS } from '../../../sim/tampering';
import { deliverRecordedCalls } from '../../../sim/simulation';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { FORWARDING_RULE_NAME } from '../../../tasks/lib/ownership';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1' as Region;

/** Tributary's own roles are exempt: onboarding (in the set-up) works under the SCP. */
function onboardedUnderScp(account: AccountId = ACCOUNT): Promise<OfflineEnvironment> {
  const config = createOfflineEnvironment().config;
  return onboardedForTampering({ config: { ...config, tamperRepair: { ...config.tamperRepair, serviceControlPolicy: 'deploy' } }, account, region: REGION });
}

describe('the tamper-prevention SCP', () => {
  it.each(['tributary.example.json', 'tributary.account-list.example.json'])('fits the 5,120 characters Organizations allows (%s)', (file) => {
    const config = loadConfig(`${__dirname}/../../../infra/config/${file}`);
    expect(
      tamperPreventionPolicyText({
        ...config,
        homeRegion: 'us-gov-west-1' as Region,
        memberRoleName: 'x'.repeat(37),
        archive: { ...config.archive, breakGlassRoleName: 'y'.repeat(64) },
      }).length,
    ).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });

  it.each([
    ['disabling the forwarding rule', (env: OfflineEnvironment) => disableForwardingRule(env, ACCOUNT, REGION), 'AccessDeniedException'],
    [
      'rewriting the forwarding rule',
      (env: OfflineEnvironment) => TAMPER_ACTIONS['forwarding rule rewritten']!.act(env, ACCOUNT, REGION),
      'AccessDeniedException',
    ],
    ["deleting Tributary's flow log", (env: OfflineEnvironment) => TAMPER_ACTIONS['flow log deleted']!.act(env, ACCOUNT, REGION), 'UnauthorizedOperation'],
    [
      'leaving the GuardDuty administrator',
      (env: OfflineEnvironment) => TAMPER_ACTIONS['GuardDuty administrator left']!.act(env, ACCOUNT, REGION),
      'AccessDeniedException',
    ],
    [
      'deleting the GuardDuty detector',
      (env: OfflineEnvironment) => TAMPER_ACTIONS['GuardDuty detector deleted']!.act(env, ACCOUNT, REGION),
      'AccessDeniedException',
    ],
  ])("refuses a member's people %s", async (_name, act, error) => {
    // Prepare
    const env = await onboardedUnderScp();
    const rule = { ...env.state.accountRegion(ACCOUNT, REGION).eventRules.get(FORWARDING_RULE_NAME)! };

    // Act and Assess
    await expect(act(env)).rejects.toMatchObject({ name: error });
    expect(env.state.accountRegion(ACCOUNT, REGION).eventRules.get(FORWARDING_RULE_NAME)).toMatchObject({ state: 'ENABLED', eventPattern: rule.eventPattern });
  });

  it("refuses the logging account's people a change to the central destination", async () => {
    const logging = createOfflineEnvironment().config.accounts.logging;
    const env = await onboardedUnderScp(logging);
    await expect(TAMPER_ACTIONS['destination policy rewritten']!.act(env, logging, REGION)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('leaves a team its own flow logs, and leaves deleting our filter to the repair (no condition key can scope it)', async () => {
    // Prepare
    const env = await onboardedUnderScp();
    const member = env.aws.directClient('EC2', ACCOUNT, REGION);
    const vpc = [...env.state.accountRegion(ACCOUNT, REGION).vpcs.keys()][0]!;
    const { FlowLogIds } = await member.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: 'VPC',
        TrafficType: 'REJECT',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::team-bucket',
      }),
    );

    // Act
    await member.send(new DeleteFlowLogsCommand({ FlowLogIds }));
    await TAMPER_ACTIONS['subscription filter deleted']!.act(env, ACCOUNT, REGION);
    const deliveries = await deliverRecordedCalls(env);

    // Assess
    expect(deliveries.flatMap((d) => d.records).map((r) => [r.workflow, r.status, (r.output as { outcome?: string } | undefined)?.outcome])).toEqual(
      expect.arrayContaining([
        ['repair-tampering', 'SUCCEEDED', 'intact'],
        ['repair-tampering', 'SUCCEEDED', 'repaired'],
      ]),
    );
  });

  it("keeps Tributary's own removal of its wiring working (offboard with removeWiring)", async () => {
    const env = await onboardedUnderScp();
    const execution = await env.runner.start('offboard-account', { accountId: ACCOUNT, trigger: 'manual', removeWiring: true, force: true });
    expect(execution.status).toBe('SUCCEEDED');
    expect(env.state.accountRegion(ACCOUNT, REGION).eventRules.has(FORWARDING_RULE_NAME)).toBe(false);
  });
});
