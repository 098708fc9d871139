/**
 * A member's people undoing Tributary's wiring, one way per kind, with the account's own
 * credentials (as an administrator of that account would): what the tamper tests and the bench's
 * time-to-repair figures run. Each returns what it undid, to find in the tamper event.
 */
import {
  DeleteAccountPolicyCommand,
  DeleteSubscriptionFilterCommand,
  PutDestinationPolicyCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { DisableRuleCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { DeleteDetectorCommand, DisassociateFromAdministratorAccountCommand, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import type { AccountId, Region } from '../tasks/lib/domain';
import { ACCOUNT_POLICY_NAME, DESTINATION_NAME, FLOW_LOG_OWNER_TAG, FORWARDING_RULE_NAME, SUBSCRIPTION_FILTER_NAME } from '../tasks/lib/ownership';
import type { TamperKind } from '../tasks/lib/tampering';
import type { TributaryConfig } from '../tasks/lib/config';
import { createOfflineEnvironment, type OfflineEnvironment } from './environment';
import type { FaultOptions } from './faults';
import { deployMemberBaseline } from './member-baseline';
import { populateExistingAccount } from './scenario';

export interface TamperAction {
  readonly kind: TamperKind;
  /** Makes the call in `account`/`region`; returns the resource it undid, as the tamper event names it. */
  readonly act: (env: OfflineEnvironment, account: AccountId, region: Region) => Promise<string>;
}

function subscribedGroup(env: OfflineEnvironment, account: AccountId, region: Region): string {
  const group = [...env.state.accountRegion(account, region).logGroups.values()].find((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME));
  if (!group) throw new Error(`no subscribed log group in ${account} ${region} to tamper with`);
  return group.logGroupName;
}

const asMember = (env: OfflineEnvironment, service: string, account: AccountId, region: Region) => env.aws.directClient(service, account, region);

/** A member's own GuardDuty call on its detector (leaving the administrator, deleting the detector). */
function guardDutyAction(command: (detectorId: string) => { readonly input: object }): TamperAction {
  return {
    kind: 'guardduty',
    async act(env, account, region) {
      const detectorId = env.state.accountRegion(account, region).guardDuty.detectorId!;
      await asMember(env, 'GuardDuty', account, region).send(command(detectorId));
      return detectorId;
    },
  };
}

/** One action per kind of tampering the hub repairs (or reports), by name. */
export const TAMPER_ACTIONS: Readonly<Record<string, TamperAction>> = {
  'subscription filter deleted': {
    kind: 'subscription-filter',
    async act(env, account, region) {
      const logGroupName = subscribedGroup(env, account, region);
      await asMember(env, 'CloudWatchLogs', account, region).send(new DeleteSubscriptionFilterCommand({ logGroupName, filterName: SUBSCRIPTION_FILTER_NAME }));
      return logGroupName;
    },
  },
  'subscription filter pointed elsewhere': {
    kind: 'subscription-filter',
    async act(env, account, region) {
      const logGroupName = subscribedGroup(env, account, region);
      const destinationArn = `arn:aws:kinesis:${region}:${account}:stream/somewhere-else`;
      await asMember(env, 'CloudWatchLogs', account, region).send(
        new PutSubscriptionFilterCommand({ logGroupName, filterName: SUBSCRIPTION_FILTER_NAME, filterPattern: '', destinationArn }),
      );
      return logGroupName;
    },
  },
  'flow log deleted': {
    kind: 'flow-logs',
    async act(env, account, region) {
      const ours = [...env.state.accountRegion(account, region).flowLogs.values()].find((f) =>
        f.Tags.some((t) => t.Key === FLOW_LOG_OWNER_TAG.Key && t.Value === FLOW_LOG_OWNER_TAG.Value),
      );
      if (!ours) throw new Error(`no Tributary flow log in ${account} ${region} to tamper with`);
      await asMember(env, 'EC2', account, region).send(new DeleteFlowLogsCommand({ FlowLogIds: [ours.FlowLogId] }));
      return 'vpc-flow-logs';
    },
  },
  'GuardDuty administrator left': guardDutyAction((DetectorId) => new DisassociateFromAdministratorAccountCommand({ DetectorId })),
  'GuardDuty detector deleted': guardDutyAction((DetectorId) => new DeleteDetectorCommand({ DetectorId })),
  'GuardDuty detector suspended': { ...guardDutyAction((DetectorId) => new UpdateDetectorCommand({ DetectorId, Enable: false })), kind: 'detector-suspended' },
  'forwarding rule rewritten': {
    kind: 'forwarding-rule',
    async act(env, account, region) {
      const rule = env.state.accountRegion(account, region).eventRules.get(FORWARDING_RULE_NAME)!;
      // Still forwarding (so the call itself is forwarded), and also another source.
      const widened = { $or: [JSON.parse(rule.eventPattern), { source: ['aws.s3'] }] };
      await asMember(env, 'EventBridge', account, region).send(
        new PutRuleCommand({ Name: FORWARDING_RULE_NAME, EventPattern: JSON.stringify(widened), State: 'ENABLED' }),
      );
      return FORWARDING_RULE_NAME;
    },
  },
  'account policy deleted': {
    kind: 'account-policy',
    async act(env, account, region) {
      await asMember(env, 'CloudWatchLogs', account, region).send(
        new DeleteAccountPolicyCommand({ policyName: ACCOUNT_POLICY_NAME, policyType: 'SUBSCRIPTION_FILTER_POLICY' }),
      );
      return ACCOUNT_POLICY_NAME;
    },
  },
  'destination policy rewritten': {
    kind: 'destination',
    async act(env, account, region) {
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'logs:PutSubscriptionFilter', Resource: '*' }],
      };
      await asMember(env, 'CloudWatchLogs', account, region).send(
        new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: JSON.stringify(policy) }),
      );
      return DESTINATION_NAME;
    },
  },
};

/** Disabling the forwarding rule: the call that cannot be forwarded once it took effect (the SCP prevents it). */
export async function disableForwardingRule(env: OfflineEnvironment, account: AccountId, region: Region): Promise<void> {
  await asMember(env, 'EventBridge', account, region).send(new DisableRuleCommand({ Name: FORWARDING_RULE_NAME }));
}

export interface TamperWorldOptions {
  readonly config?: TributaryConfig;
  /** @default one account, `123456789012` */
  readonly account?: AccountId;
  readonly region?: Region;
  readonly faults?: Partial<Omit<FaultOptions, 'seed'>>;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * An organization with one account onboarded in one region (a few log groups and VPCs), CloudTrail
 * recording from then on: where a tamper test or the bench's time-to-repair starts.
 */
export async function onboardedForTampering(options: TamperWorldOptions = {}): Promise<OfflineEnvironment> {
  const account = options.account ?? ('123456789012' as AccountId);
  const region = options.region ?? ('eu-west-1' as Region);
  const env = createOfflineEnvironment({ ...(options.config ? { config: options.config } : {}), faults: { ...options.faults, seed: options.seed ?? 1 } });
  if (!env.state.account(account)) env.state.addAccount({ id: account, name: 'workload', regions: env.config.governedRegions });
  deployMemberBaseline(env, account);
  populateExistingAccount(env, account, { logGroupsPerRegion: 6, vpcsPerRegion: 2 });
  const onboarding = await env.runner.start('onboard-region', { accountId: account, region });
  if (onboarding.status !== 'SUCCEEDED') throw new Error(`onboarding ${account} ${region} failed: ${onboarding.error} ${onboarding.cause}`);
  env.aws.cloudTrail.start();
  return env;
}

/**
 * A person retries their own call through the world's faults, as the CLI would; after a failure that
 * applied anyway, the next try finds nothing left to undo, and that is the end of it.
 */
export async function persistently(act: () => Promise<unknown>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await act();
      return;
    } catch (error) {
      const transient = (error as { $fault?: string }).$fault === 'server' || /Throttl|RequestLimitExceeded|TooManyRequests/.test((error as Error).name);
      if (attempt > 1 && !transient) return;
      if (!transient || attempt === attempts) throw error;
    }
  }
}

/** What a member's people can undo under this config (GuardDuty refuses a member leaving in organization mode). */
export function tamperingFor(config: TributaryConfig): string[] {
  return [
    config.subscription.mode === 'log-group' ? 'subscription filter deleted' : 'account policy deleted',
    ...(config.flowLogs.enabled ? ['flow log deleted'] : []),
    ...(config.guardDuty.mode === 'invitation' ? ['GuardDuty administrator left'] : []),
  ];
}
