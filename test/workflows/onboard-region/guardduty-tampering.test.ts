/**
 * A member that switches GuardDuty off for itself (leaves its administrator, or deletes its
 * detector) is wired again by the next onboarding of that region, as the daily reconcile runs it;
 * in organization mode GuardDuty refuses the member both calls. Issue #18: before, a member that
 * left stayed `Resigned` and was never invited again.
 */
import { DeleteDetectorCommand, DisassociateFromAdministratorAccountCommand } from '@aws-sdk/client-guardduty';
import type { TributaryConfig } from '../../../tasks/lib/config';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import type { AccountId } from '../../../tasks/lib/domain';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

async function onboarded(mode: TributaryConfig['guardDuty']['mode']): Promise<OfflineEnvironment> {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, guardDuty: { ...base.config.guardDuty, mode } } });
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  expect((await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION })).status).toBe('SUCCEEDED');
  return env;
}

const memberGuardDuty = (env: OfflineEnvironment) => env.state.accountRegion(ACCOUNT, REGION).guardDuty;
const adminMember = (env: OfflineEnvironment) => env.state.accountRegion(env.config.guardDuty.administratorAccount, REGION).guardDuty.members.get(ACCOUNT);
/** The member's own administrator, not Tributary's role. */
const asMember = (env: OfflineEnvironment) => env.aws.directClient('GuardDuty', ACCOUNT, REGION);

describe('GuardDuty switched off by the member', () => {
  it('invitation mode: a member that left its administrator is invited again and accepts', async () => {
    // Prepare
    const env = await onboarded('invitation');
    await asMember(env).send(new DisassociateFromAdministratorAccountCommand({ DetectorId: memberGuardDuty(env).detectorId! }));
    expect(adminMember(env)?.RelationshipStatus).toBe('Resigned');

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect((execution.output as { guardDuty: { actions: string[] } }).guardDuty.actions).toEqual([
      'InviteMembers (email notification off)',
      'AcceptAdministratorInvitation',
    ]);
    expect(adminMember(env)?.RelationshipStatus).toBe('Enabled');
    expect(memberGuardDuty(env).administrator).toEqual({ AccountId: env.config.guardDuty.administratorAccount, RelationshipStatus: 'Enabled' });
  });

  it('invitation mode: a member that deleted its detector gets a new one, a membership and an accepted invitation', async () => {
    // Prepare
    const env = await onboarded('invitation');
    await asMember(env).send(new DeleteDetectorCommand({ DetectorId: memberGuardDuty(env).detectorId! }));
    expect(memberGuardDuty(env).detectorId).toBeUndefined();

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(memberGuardDuty(env).detectorId).toBeDefined();
    expect(adminMember(env)?.RelationshipStatus).toBe('Enabled');
  });

  it('organization mode: GuardDuty refuses the member both calls while the organization auto-enables all members', async () => {
    // Prepare
    const env = await onboarded('organization');
    const detectorId = memberGuardDuty(env).detectorId!;

    // Act and Assess
    await expect(asMember(env).send(new DisassociateFromAdministratorAccountCommand({ DetectorId: detectorId }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(asMember(env).send(new DeleteDetectorCommand({ DetectorId: detectorId }))).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(memberGuardDuty(env).detectorId).toBe(detectorId);
    expect(adminMember(env)?.RelationshipStatus).toBe('Enabled');
  });
});
