/** GuardDuty membership through onboard-region, in each config mode, on the simulator. */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import type { TributaryConfig } from '../../../tasks/lib/config';
import type { AccountId } from '../../../tasks/lib/domain';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(mode: TributaryConfig['guardDuty']['mode'], member: { guardDutyEmailFails?: boolean } = {}): OfflineEnvironment {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, guardDuty: { ...base.config.guardDuty, mode } } });
  const account = env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  if (member.guardDutyEmailFails) account.guardDutyEmailFails = true;
  return env;
}

const guardDutyOf = (execution: { output?: unknown }) => (execution.output as { guardDuty: Record<string, unknown> }).guardDuty;
const adminMembers = (env: OfflineEnvironment) => env.state.accountRegion(env.config.guardDuty.administratorAccount, REGION).guardDuty.members;

describe('GuardDuty membership', () => {
  it('invitation mode: creates the member without email, invites it, and the member accepts', async () => {
    // Prepare
    const env = setUp('invitation');

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(guardDutyOf(execution)).toMatchObject({
      mode: 'invitation',
      status: 'Enabled',
      actions: [
        'CreateDetector (administrator)',
        'CreateMembers',
        'InviteMembers (email notification off)',
        'CreateDetector (member)',
        'AcceptAdministratorInvitation',
      ],
    });
    expect(adminMembers(env).get(ACCOUNT)).toMatchObject({ RelationshipStatus: 'Enabled', Email: 'workload@example.com' });
    expect(env.state.accountRegion(ACCOUNT, REGION).guardDuty.administrator).toEqual({
      AccountId: env.config.guardDuty.administratorAccount,
      RelationshipStatus: 'Enabled',
    });
  });

  it('invitation mode: a second run makes no GuardDuty write', async () => {
    const env = setUp('invitation');
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const writes = env.aws.ledger.writes;
    const again = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    expect(guardDutyOf(again)).toMatchObject({ status: 'Enabled', changed: false, actions: [] });
    expect(env.aws.ledger.writes).toBe(writes);
  });

  it('organization mode: a region without the delegated administrator fails its GuardDuty part, naming the region and the command that fixes it', async () => {
    // Prepare: delegated in every governed region but this one (delegation is per region).
    const env = setUp('organization');
    env.state.guardDutyDelegatedAdmins.delete(REGION);

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('WorkIncomplete');
    expect(execution.cause).toContain('GuardDutyNotDelegated');
    expect(execution.cause).toContain(
      `aws guardduty enable-organization-admin-account --admin-account-id ${env.config.guardDuty.administratorAccount} --region ${REGION}`,
    );
    expect(adminMembers(env).has(ACCOUNT)).toBe(false);
  });

  it('organization mode: associates the member without invitation and auto-enables the organization', async () => {
    // Prepare
    const env = setUp('organization');

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(guardDutyOf(execution)).toMatchObject({ mode: 'organization', status: 'Enabled' });
    expect(env.aws.ledger.apiCalls()['GuardDuty.InviteMembers']).toBeUndefined();
    expect(env.state.accountRegion(env.config.guardDuty.administratorAccount, REGION).guardDuty.autoEnableOrganizationMembers).toBe('ALL');
    expect(adminMembers(env).get(ACCOUNT)?.RelationshipStatus).toBe('Enabled');
  });

  it('ends with a clear EmailVerificationFailed result, without looping', async () => {
    // Prepare
    const env = setUp('invitation', { guardDutyEmailFails: true });

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const again = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(guardDutyOf(execution)).toMatchObject({ status: 'EmailVerificationFailed' });
    expect(guardDutyOf(again)).toMatchObject({ status: 'EmailVerificationFailed', changed: false });
    expect(env.aws.ledger.apiCalls()['GuardDuty.InviteMembers']).toBe(1);
  });

  it('off: calls GuardDuty not at all', async () => {
    const env = setUp('off');
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    expect(guardDutyOf(execution)).toMatchObject({ mode: 'off', status: 'Off', changed: false });
    expect(Object.keys(env.aws.ledger.apiCalls()).filter((op) => op.startsWith('GuardDuty.'))).toEqual([]);
  });

  it('the administrator account itself is reported as the administrator, not invited', async () => {
    const env = setUp('invitation');
    const admin = env.config.guardDuty.administratorAccount;
    const execution = await env.runner.start('onboard-region', { accountId: admin, region: REGION });
    expect(guardDutyOf(execution)).toMatchObject({ status: 'Administrator' });
  });
});
