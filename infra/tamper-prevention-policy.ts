/**
 * The service control policy that prevents the tampering Tributary cannot repair once it happened:
 * disabling or deleting the forwarding rule (its own call is then forwarded by nothing), changing
 * Tributary's roles or creating look-alikes (whose calls would pass for Tributary's), deleting a
 * flow log tagged as Tributary's, leaving GuardDuty, and changing the central destinations. Every
 * statement denies everyone but Tributary's member roles, the StackSets and CDK deployment roles
 * and the break-glass role. Generated from the names the tasks and the baseline use; written to
 * docs/tamper-prevention-scp.json and, with `tamperRepair.serviceControlPolicy: "deploy"`, attached
 * to memberBaselineTargets by the member baseline stack.
 *
 * SCPs never restrict the management account or service-linked roles
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 */
import {
  DESTINATION_NAME,
  EVENT_FORWARDING_ROLE_NAME,
  FLOW_LOG_OWNER_TAG,
  FLOW_LOGS_ROLE_NAME,
  LOGS_DELIVERY_ROLE_NAME,
  OWNED_NAME_PREFIX,
} from '../tasks/lib/ownership';
import type { TributaryConfig } from '../tasks/lib/config';
import { partitionOf } from '../tasks/lib/domain';

/** An SCP document may hold at most 5,120 characters (Organizations quotas). */
export const SCP_MAX_CHARACTERS = 5120;

export const TAMPER_PREVENTION_POLICY_NAME = 'tributary-tamper-prevention';

interface DenyStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface TamperPreventionPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly DenyStatement[];
}

/** Who may still make the denied calls: Tributary's member roles, the deployment roles, the break-glass role. */
export function tamperPolicyExemptions(config: TributaryConfig): string[] {
  const partition = partitionOf(config.homeRegion);
  return [
    `arn:${partition}:iam::*:role/${config.memberRoleName}-*`,
    // Service-managed StackSets deploy the member baseline with this role in each account.
    `arn:${partition}:iam::*:role/stacksets-exec-*`,
    // The CDK's CloudFormation execution role deploys the pipeline stacks (the destinations).
    `arn:${partition}:iam::*:role/cdk-*-cfn-exec-role-*`,
    `arn:${partition}:iam::*:role/${config.archive.breakGlassRoleName}`,
  ];
}

export function tamperPreventionPolicy(config: TributaryConfig): TamperPreventionPolicy {
  const partition = partitionOf(config.homeRegion);
  const exempt = { ArnNotLike: { 'aws:PrincipalArn': tamperPolicyExemptions(config) } };
  const deny = (Sid: string, Action: string[], Resource: string[], extra: Record<string, Record<string, string | string[]>> = {}): DenyStatement => ({
    Sid,
    Effect: 'Deny',
    Action,
    Resource,
    Condition: { ...exempt, ...extra },
  });
  const baselineRoles = [`${config.memberRoleName}-*`, EVENT_FORWARDING_ROLE_NAME, LOGS_DELIVERY_ROLE_NAME, FLOW_LOGS_ROLE_NAME];
  const statements = [
    // The member forwarding rule and the us-east-1 account-events rule.
    deny(
      'ProtectForwardingRules',
      ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'],
      [`arn:${partition}:events:*:*:rule/${OWNED_NAME_PREFIX}*`],
    ),
    // Any path: a role's session ARN leaves its path out, so a look-alike under a path would pass for ours.
    deny(
      'ProtectTributaryRoles',
      [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePermissionsBoundary',
        'iam:DeleteRolePermissionsBoundary',
      ],
      baselineRoles.map((name) => `arn:${partition}:iam::*:role/*${name}`),
    ),
    deny('ProtectTributaryFlowLogs', ['ec2:DeleteFlowLogs'], ['*'], {
      StringEquals: { [`aws:ResourceTag/${FLOW_LOG_OWNER_TAG.Key}`]: FLOW_LOG_OWNER_TAG.Value },
    }),
    deny('KeepTributaryFlowLogTag', ['ec2:DeleteTags', 'ec2:CreateTags'], [`arn:${partition}:ec2:*:*:vpc-flow-log/*`], {
      'ForAnyValue:StringEquals': { 'aws:TagKeys': [FLOW_LOG_OWNER_TAG.Key] },
    }),
    deny(
      'StayGuardDutyMember',
      ['guardduty:DisassociateFromAdministratorAccount', 'guardduty:DisassociateFromMasterAccount', 'guardduty:DeleteDetector'],
      ['*'],
    ),
    deny(
      'ProtectCentralDestinations',
      ['logs:DeleteDestination', 'logs:PutDestination', 'logs:PutDestinationPolicy'],
      [`arn:${partition}:logs:*:${config.accounts.logging}:destination:${DESTINATION_NAME}`],
    ),
  ];
  // Account policies support no resource type or condition key (docs/permissions.md): in mode
  // account-policy, only Tributary's roles may write them, or anyone could point the account elsewhere.
  if (config.subscription.mode === 'account-policy')
    statements.push(deny('ProtectAccountSubscriptionPolicy', ['logs:PutAccountPolicy', 'logs:DeleteAccountPolicy'], ['*']));
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy as Organizations stores it: compact JSON, which must fit the quota. */
export function tamperPreventionPolicyText(config: TributaryConfig): string {
  const text = JSON.stringify(tamperPreventionPolicy(config));
  if (text.length > SCP_MAX_CHARACTERS)
    throw new Error(`the tamper-prevention SCP has ${text.length} characters, more than the ${SCP_MAX_CHARACTERS} Organizations allows`);
  return text;
}

/** How each way of switching Tributary off is met: prevented by the SCP, repaired within minutes, or only found by the daily reconcile. */
export interface TamperDefense {
  readonly tampering: string;
  readonly prevented: string;
  readonly repaired: string;
}

export function tamperDefenses(config: TributaryConfig): TamperDefense[] {
  const accountPolicyPrevented =
    config.subscription.mode === 'account-policy' ? 'yes (`ProtectAccountSubscriptionPolicy`)' : 'no (account policies have no resource type to scope a deny)';
  return [
    {
      tampering: 'delete or overwrite our subscription filter',
      prevented: 'no (`logs:DeleteSubscriptionFilter` has no condition key naming the filter)',
      repaired: 'within minutes (`SubscriptionFilterTampered`)',
    },
    {
      tampering: 'delete or overwrite our account-level subscription policy',
      prevented: accountPolicyPrevented,
      repaired: 'within minutes (`AccountPolicyTampered`)',
    },
    {
      tampering: 'delete our flow log, or untag it',
      prevented: 'yes (`ProtectTributaryFlowLogs`, `KeepTributaryFlowLogTag`)',
      repaired: 'within minutes (`FlowLogsDeleted`)',
    },
    {
      tampering: 'leave the GuardDuty administrator or delete the detector',
      prevented: 'yes (`StayGuardDutyMember`; in organization mode GuardDuty itself refuses it)',
      repaired: 'within minutes (`GuardDutyTampered`)',
    },
    {
      tampering: 'suspend a detector (`UpdateDetector`, enable false)',
      prevented: "no (`UpdateDetector` also changes a detector's features: no condition key tells the two apart)",
      repaired:
        'reported within minutes (`DetectorSuspended`), failing with the command that re-enables it: no Tributary role holds `UpdateDetector`, which could also suspend detectors',
    },
    {
      tampering: 'change the forwarding rule (pattern, targets) while it still forwards',
      prevented: 'yes (`ProtectForwardingRules`)',
      repaired: 'within minutes (`ForwardingRuleTampered`)',
    },
    {
      tampering: 'disable or delete the forwarding rule, or retarget it',
      prevented: 'yes (`ProtectForwardingRules`)',
      repaired: 'by the daily reconcile only: the call that removes the forwarding is forwarded by nothing',
    },
    {
      tampering: "change or delete Tributary's roles, or create a look-alike",
      prevented: 'yes (`ProtectTributaryRoles`)',
      repaired: 'by the StackSet (drift) only',
    },
    {
      tampering: "rewrite the central destination's policy (logging account)",
      prevented: 'yes (`ProtectCentralDestinations`)',
      repaired: 'within minutes, by the one destination writer (`DestinationTampered`)',
    },
    {
      tampering: 'replace or delete the central destination itself (logging account)',
      prevented: 'yes (`ProtectCentralDestinations`)',
      repaired: 'reported within minutes (`DestinationTampered`), failing with the fix: redeploy the pipeline stack',
    },
    {
      tampering: 'stop, delete or narrow the organization trail (management account, us-east-1)',
      prevented: 'no (SCPs never restrict the management account; members cannot change an organization trail)',
      repaired:
        'reported within minutes (`TrailTampered`, `TrailSelectorsChanged`: fails naming the fix; Tributary holds no role in the management account to restart it); `plan` names every account-region no trail logs',
    },
    {
      tampering: 'a stolen Tributary member-role credential',
      prevented: 'no (it is exempt, as Tributary must be)',
      repaired: 'not forwarded (its calls pass for Tributary\'s); its role can do only its own task (see "Blast radius"); the reconcile repairs the wiring',
    },
  ];
}
