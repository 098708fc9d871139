/**
 * What the member StackSets deploy into each account of their targets, automatically as an
 * account joins: in the simulator, the one piece the workflows rely on that is not a role, the
 * rule in the member's us-east-1 that forwards a region it enables to the hub bus.
 */
import type { AccountId, Region } from '../tasks/lib/domain';
import { eventForwardingRoleArn, FORWARDING_TARGET_ID, hubBusArn } from '../tasks/lib/ownership';
import { MEMBER_ACCOUNT_EVENTS_RULE_NAME, memberAccountEventsPattern, ORGANIZATION_EVENTS_REGION } from '../workflows/forwarding';
import type { OfflineEnvironment } from './environment';

export function deployMemberBaseline(env: OfflineEnvironment, accountId: AccountId): void {
  const { accounts, homeRegion } = env.config;
  env.state.accountRegion(accountId, ORGANIZATION_EVENTS_REGION).eventRules.set(MEMBER_ACCOUNT_EVENTS_RULE_NAME, {
    name: MEMBER_ACCOUNT_EVENTS_RULE_NAME,
    eventPattern: JSON.stringify(memberAccountEventsPattern()),
    state: 'ENABLED',
    targets: new Map([
      [
        FORWARDING_TARGET_ID,
        {
          Id: FORWARDING_TARGET_ID,
          Arn: hubBusArn(accounts.orchestration, homeRegion as Region),
          RoleArn: eventForwardingRoleArn(accountId, homeRegion as Region),
        },
      ],
    ]),
  });
}
