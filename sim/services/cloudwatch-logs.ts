/** CloudWatch Logs as Tributary uses it: log groups, subscription filters, account policies, destinations. */
import { InvalidParameterException, LimitExceededException, ResourceAlreadyExistsException, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { isLogGroupName, jsonObject, jsonValue } from '../../tasks/lib/domain';
import { parsePolicyText } from '../policy-decision';
import { asciiOrder, type SimLogGroup, type SimSubscriptionFilter } from '../state';
import { page, type CallContext, type OperationHandler } from './context';

const meta = { $metadata: {} };
/** Per log group (CloudWatch Logs quotas). */
export const MAX_SUBSCRIPTION_FILTERS = 2;
/** PutDestinationPolicy accessPolicy limit, in bytes. */
export const MAX_DESTINATION_POLICY_BYTES = 5120;
const DESTINATION_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):destination:(.+)$/;

function visibleGroup(ctx: CallContext, logGroupName: unknown): SimLogGroup {
  const group = ctx.state.accountRegion(ctx.callerAccount, ctx.region).logGroups.get(String(logGroupName));
  if (group && group.hiddenReads > 0) {
    group.hiddenReads--;
  } else if (group) {
    return group;
  }
  throw new ResourceNotFoundException({ ...meta, message: 'The specified log group does not exist.' });
}

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidParameterException({
      ...meta,
      message: `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    });
  }
  return value;
}

/** Whether a destination's access policy grants by organization (aws:PrincipalOrgID) rather than by account. */
function scopedToOrganization(accessPolicy: string | undefined): boolean {
  if (!accessPolicy) return false;
  const statements = [parsePolicyText(accessPolicy).Statement ?? []].flat() as Array<Record<string, any>>;
  return statements.some((s) => s.Effect === 'Allow' && s.Condition?.StringEquals?.['aws:PrincipalOrgID'] !== undefined);
}

function checkDestination(ctx: CallContext, destinationArn: string, roleArn: string | undefined): void {
  const match = DESTINATION_ARN.exec(destinationArn);
  if (!match) return; // same-account Kinesis/Firehose/Lambda targets are not modelled further
  const [, region, owner, name] = match;
  if (region !== ctx.region) {
    throw new InvalidParameterException({ ...meta, message: `destination ${destinationArn} is not in ${ctx.region}` });
  }
  const destination = ctx.state.account(owner!) ? ctx.state.accountRegion(owner!, region!).destinations.get(name!) : undefined;
  if (!destination) {
    throw new InvalidParameterException({ ...meta, message: `Could not deliver test message to specified destination: ${destinationArn} does not exist` });
  }
  // Whether the caller may subscribe is decided with its identity policy by the destination's
  // access policy (sim/iam-authorizer.ts), before the call reaches this handler.
  if (owner === ctx.callerAccount) return;
  if (scopedToOrganization(destination.accessPolicy) && !roleArn) {
    throw new InvalidParameterException({ ...meta, message: 'roleArn is required when the destination access policy is scoped to an organization' });
  }
}

/** A listing's `limit`: 1 to 50, 50 when not given. */
function pageLimit(value: unknown): number {
  if (value === undefined) return 50;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 50)
    throw new InvalidParameterException({
      ...meta,
      message: `1 validation error detected: Value '${String(value)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50`,
    });
  return value as number;
}

function groupArn(ctx: CallContext, logGroupName: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.callerAccount}:log-group:${logGroupName}`;
}

/** The last event a FilterLogEvents page returned, from its token; a token this service did not make is refused. */
function eventsToken(token: string): [number, number, string] {
  const after = jsonValue(Buffer.from(token, 'base64url').toString());
  if (Array.isArray(after) && typeof after[0] === 'number' && typeof after[1] === 'number' && typeof after[2] === 'string')
    return [after[0], after[1], after[2]];
  throw new InvalidParameterException({ ...meta, message: 'The specified nextToken is invalid.' });
}

/** An account policy's document, which must be a JSON object ("Specify the policy, in JSON": API_PutAccountPolicy.html). */
function policyJson(text: string): Record<string, unknown> {
  const document = jsonObject(text);
  if (!document) throw new InvalidParameterException({ ...meta, message: 'policyDocument must be a JSON object.' });
  return document;
}

export const cloudWatchLogs: Record<string, OperationHandler> = {
  /**
   * ASCII-sorted by name, those starting with `logGroupNamePrefix`, at most `limit` (1 to 50, 50 by
   * default) a page (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html);
   * `storedBytes` as the API reports it per group (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html).
   */
  DescribeLogGroups(input, ctx) {
    const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
    const limit = pageLimit(input.limit);
    const groups = ctx.state.accountRegion(ctx.callerAccount, ctx.region).logGroups;
    const named = prefix ? groups.namesInOrder().filter((name) => name.startsWith(prefix)) : groups.namesInOrder();
    // Every listing counts as a read of each hidden group it would have named.
    const shown = (name: string) => {
      const group = groups.get(name)!;
      return group.hiddenReads > 0 ? (group.hiddenReads--, false) : true;
    };
    const all = groups.anyHidden() ? named.filter(shown) : named;
    const { items, nextToken } = page(all, input.nextToken, limit);
    return {
      logGroups: items.map((name) => {
        const group = groups.get(name)!;
        return {
          logGroupName: name,
          arn: `${groupArn(ctx, name)}:*`,
          logGroupArn: groupArn(ctx, name),
          creationTime: group.creationTime,
          storedBytes: group.storedBytes,
        };
      }),
      nextToken,
    };
  },

  /** A name of 1 to 512 of `[.\-_/#A-Za-z0-9]` (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html). */
  CreateLogGroup(input, ctx) {
    const name = requireString(input, 'logGroupName');
    if (!isLogGroupName(name))
      throw new InvalidParameterException({
        ...meta,
        message: `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      });
    if (ctx.state.accountRegion(ctx.callerAccount, ctx.region).logGroups.has(name)) {
      throw new ResourceAlreadyExistsException({ ...meta, message: 'The specified log group already exists' });
    }
    ctx.state.createLogGroup(ctx.callerAccount, ctx.region, name);
    return {};
  },

  /**
   * Events with startTime <= timestamp < endTime, sorted by timestamp, ingestion time and id, at
   * most `limit` (10,000) and 1 MB of messages a page; the token resumes after the last one
   * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
   * Filter patterns are not modelled: a pattern is refused rather than ignored.
   */
  FilterLogEvents(input, ctx) {
    const group = visibleGroup(ctx, requireString(input, 'logGroupName'));
    if (input.filterPattern !== undefined && input.filterPattern !== '')
      throw new InvalidParameterException({ ...meta, message: 'filterPattern is not modelled offline' });
    const startTime = typeof input.startTime === 'number' ? input.startTime : 0;
    const endTime = typeof input.endTime === 'number' ? input.endTime : Number.MAX_SAFE_INTEGER;
    const limit = Math.min(typeof input.limit === 'number' ? input.limit : 10_000, 10_000);
    const matching = (group.events ?? [])
      .filter((e) => e.timestamp >= startTime && e.timestamp < endTime)
      .sort((a, b) => a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime || a.eventId.localeCompare(b.eventId));
    // The token names the last event returned, not a position: events written meanwhile with older
    // timestamps must not shift the page boundary.
    const after = typeof input.nextToken === 'string' ? eventsToken(input.nextToken) : undefined;
    const beyond = (e: (typeof matching)[number]) =>
      !after || e.timestamp > after[0] || (e.timestamp === after[0] && (e.ingestionTime > after[1] || (e.ingestionTime === after[1] && e.eventId > after[2])));
    const rest = matching.filter(beyond);
    const events = [];
    let bytes = 0;
    for (const e of rest) {
      if (events.length >= limit) break;
      bytes += Buffer.byteLength(e.message) + 26;
      if (bytes > 1_048_576 && events.length > 0) break;
      events.push({ ...e });
    }
    const last = events.at(-1);
    const more = events.length < rest.length && last;
    return {
      events,
      ...(more ? { nextToken: Buffer.from(JSON.stringify([last.timestamp, last.ingestionTime, last.eventId])).toString('base64url') } : {}),
      searchedLogStreams: [],
    };
  },

  /**
   * "ASCII-sorted by filter name", those starting with `filterNamePrefix`, at most `limit` (1 to 50,
   * 50 by default) a page (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeSubscriptionFilters.html).
   */
  DescribeSubscriptionFilters(input, ctx) {
    const group = visibleGroup(ctx, requireString(input, 'logGroupName'));
    const prefix = typeof input.filterNamePrefix === 'string' ? input.filterNamePrefix : '';
    const limit = pageLimit(input.limit);
    const named = group.filters
      .list()
      .filter((f) => f.filterName.startsWith(prefix))
      .sort((a, b) => asciiOrder(a.filterName, b.filterName));
    const { items, nextToken } = page(named, input.nextToken, limit);
    return { subscriptionFilters: items.map((f) => ({ ...f })), ...(nextToken ? { nextToken } : {}) };
  },

  PutSubscriptionFilter(input, ctx) {
    const group = visibleGroup(ctx, requireString(input, 'logGroupName'));
    const filterName = requireString(input, 'filterName');
    const destinationArn = requireString(input, 'destinationArn');
    if (typeof input.filterPattern !== 'string') requireString(input, 'filterPattern');
    const roleArn = typeof input.roleArn === 'string' ? input.roleArn : undefined;
    if (!group.filters.has(filterName) && group.filters.size >= MAX_SUBSCRIPTION_FILTERS) {
      throw new LimitExceededException({ ...meta, message: 'Resource limit exceeded.' });
    }
    checkDestination(ctx, destinationArn, roleArn);
    const intern = (value: string) => ctx.state.intern(value);
    const filter: SimSubscriptionFilter = {
      filterName: intern(filterName),
      logGroupName: group.logGroupName,
      filterPattern: intern(String(input.filterPattern)),
      destinationArn: intern(destinationArn),
      ...(roleArn ? { roleArn: intern(roleArn) } : {}),
      distribution: intern(typeof input.distribution === 'string' ? input.distribution : 'ByLogStream'),
      creationTime: group.filters.get(filterName)?.creationTime ?? ctx.state.tick(),
    };
    group.filters.set(filter.filterName, filter);
    return {};
  },

  DeleteSubscriptionFilter(input, ctx) {
    const group = visibleGroup(ctx, requireString(input, 'logGroupName'));
    const filterName = requireString(input, 'filterName');
    if (!group.filters.delete(filterName)) {
      throw new ResourceNotFoundException({ ...meta, message: 'The specified subscription filter does not exist.' });
    }
    return {};
  },

  DescribeAccountPolicies(input, ctx) {
    const policyType = requireString(input, 'policyType');
    const policies = [...ctx.state.accountRegion(ctx.callerAccount, ctx.region).accountPolicies.values()]
      .filter((p) => p.policyType === policyType && (input.policyName === undefined || p.policyName === input.policyName))
      .map((p) => ({ ...p, accountId: ctx.callerAccount }));
    return { accountPolicies: policies };
  },

  DeleteAccountPolicy(input, ctx) {
    const policyName = requireString(input, 'policyName');
    const policies = ctx.state.accountRegion(ctx.callerAccount, ctx.region).accountPolicies;
    if (!policies.delete(policyName)) throw new ResourceNotFoundException({ ...meta, message: `Policy ${policyName} does not exist` });
    return {};
  },

  PutAccountPolicy(input, ctx) {
    const policyName = requireString(input, 'policyName');
    const policyType = requireString(input, 'policyType');
    const policyDocument = requireString(input, 'policyDocument');
    const policies = ctx.state.accountRegion(ctx.callerAccount, ctx.region).accountPolicies;
    const sameType = [...policies.values()].filter((p) => p.policyType === policyType && p.policyName !== policyName);
    if (policyType === 'SUBSCRIPTION_FILTER_POLICY' && sameType.length >= 1) {
      throw new LimitExceededException({ ...meta, message: 'An account can have only one account-level subscription filter policy.' });
    }
    if (policyType === 'SUBSCRIPTION_FILTER_POLICY') {
      const document = policyJson(policyDocument);
      checkDestination(
        ctx,
        typeof document.DestinationArn === 'string' ? document.DestinationArn : '',
        typeof document.RoleArn === 'string' ? document.RoleArn : undefined,
      );
    }
    policies.set(policyName, {
      policyName,
      policyType,
      policyDocument,
      ...(typeof input.selectionCriteria === 'string' ? { selectionCriteria: input.selectionCriteria } : {}),
      scope: typeof input.scope === 'string' ? input.scope : 'ALL',
      lastUpdatedTime: ctx.state.tick(),
    });
    return { accountPolicy: { policyName, policyType, policyDocument, accountId: ctx.callerAccount } };
  },

  PutDestination(input, ctx) {
    const destinationName = requireString(input, 'destinationName');
    const destinations = ctx.state.accountRegion(ctx.callerAccount, ctx.region).destinations;
    const existing = destinations.get(destinationName);
    const destination = {
      destinationName,
      targetArn: requireString(input, 'targetArn'),
      roleArn: requireString(input, 'roleArn'),
      arn: `arn:aws:logs:${ctx.region}:${ctx.callerAccount}:destination:${destinationName}`,
      ...(existing?.accessPolicy ? { accessPolicy: existing.accessPolicy } : {}),
      creationTime: existing?.creationTime ?? ctx.state.tick(),
    };
    destinations.set(destinationName, destination);
    return { destination: { ...destination } };
  },

  PutDestinationPolicy(input, ctx) {
    const destination = ctx.state.accountRegion(ctx.callerAccount, ctx.region).destinations.get(requireString(input, 'destinationName'));
    if (!destination) throw new ResourceNotFoundException({ ...meta, message: 'The specified destination does not exist.' });
    const accessPolicy = requireString(input, 'accessPolicy');
    const bytes = Buffer.byteLength(accessPolicy, 'utf8');
    if (bytes > MAX_DESTINATION_POLICY_BYTES) {
      throw new InvalidParameterException({ ...meta, message: `accessPolicy is ${bytes} bytes; the limit is ${MAX_DESTINATION_POLICY_BYTES}` });
    }
    destination.accessPolicy = accessPolicy;
    return {};
  },

  /** ASCII-sorted by name (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeDestinations.html). */
  DescribeDestinations(input, ctx) {
    const prefix = typeof input.DestinationNamePrefix === 'string' ? input.DestinationNamePrefix : '';
    const all = [...ctx.state.accountRegion(ctx.callerAccount, ctx.region).destinations.values()]
      .filter((d) => d.destinationName.startsWith(prefix))
      .sort((a, b) => asciiOrder(a.destinationName, b.destinationName));
    const { items, nextToken } = page(all, input.nextToken, pageLimit(input.limit));
    return { destinations: items.map((d) => ({ ...d })), nextToken };
  },
};
