/**
 * Answers AWS SDK v3 commands from the simulated organization. Real SDK clients are used;
 * `attach` sends their commands through the SDK's own retries and the client's limiter to the
 * simulator, so every attempt is counted as AWS would count it and task code is identical
 * offline and in AWS.
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { s3 } from './services/s3';
import { ServiceUnavailableException, ThrottlingException } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceException as OrganizationsServerError, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { STSServiceException } from '@aws-sdk/client-sts';
import { CloudTrailServiceException, ThrottlingException as CloudTrailThrottling } from '@aws-sdk/client-cloudtrail';
import { InternalServerError as DynamoInternal, ThrottlingException as DynamoThrottling } from '@aws-sdk/client-dynamodb';
import { InternalServerException as AccountInternal, TooManyRequestsException as AccountTooManyRequests } from '@aws-sdk/client-account';
import { InternalException as EventBridgeInternal, ThrottlingException as EventBridgeThrottling } from '@aws-sdk/client-eventbridge';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { HttpHandler } from '@smithy/core/protocols';
import { ClientFactory, type ClientSettings } from '../tasks/lib/clients';
import type { Region } from '../tasks/lib/domain';
import { FaultInjector, type DrawSeries, type FaultOptions, type InjectedFault } from './faults';
import { CallLedger, isWriteOperation } from './ledger';
import { account } from './services/account';
import { dynamoDb } from './services/dynamodb';
import { ec2, ec2Error } from './services/ec2';
import { guardDuty, guardDutyServerError, guardDutyThrottled } from './services/guardduty';
import { cloudWatchLogs } from './services/cloudwatch-logs';
import { cloudTrail, cloudTrailLogs } from './services/cloudtrail';
import { eventBridge } from './services/eventbridge';
import type { OperationHandler } from './services/context';
import { organizations } from './services/organizations';
import { accountOfAccessKey, OPERATOR_ROLE_NAME, roleIndexOfAccessKey, simulatedAccessKeyFor, sts } from './services/sts';
import {
  hubRequests,
  iamRequests,
  partitionKeyOf,
  resourcePolicyRequests,
  scpRequests,
  type Decided,
  type DecidedByInput,
  type IamAuthorizer,
  type IamRequest,
} from './iam-authorizer';
import type { SimOrganizationState } from './state';
import { RATE_QUOTAS, RateLimits, type RateQuota } from './quotas';
import { virtualClockRetry } from './sdk-retry';
import type { VirtualClock } from '../workflows/local/virtual-clock';
import { InvocationTerminatedError, lambdaInvocation } from '../workflows/local/lambda-invocation';
import { CloudTrailRecorder } from './cloudtrail';
import { copyData } from './plain-copy';
import { SharedClientPool } from './shared-clients';

/**
 * What every call of one command through one client shares: who makes it and where, and the keys
 * its latency draws and its rate quota are kept by, made once: built and hashed again for each
 * call, such keys were a few percent of the simulator's CPU at the target size.
 */
interface CallSite {
  readonly service: string;
  readonly operation: string;
  /** `Service.Operation`, as the quotas, the faults and the ledger name it. */
  readonly name: string;
  readonly callerAccount: string;
  readonly region: string;
  readonly memberRole: string | undefined;
  /** Orders the calls answered at one instant. */
  readonly order: string;
  readonly latency: DrawSeries;
  /** The rate quota's bucket for the DynamoDB item a call addresses (the one quota kept per item), or for any call. */
  readonly bucketFor: (item: string | undefined) => string | undefined;
  /** A member-role call its input alone decides: the values already allowed (sim/iam-authorizer.ts). */
  readonly decidedBy: DecidedByInput | undefined;
}

export interface InterceptedCall {
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly callerAccount: string;
  readonly region: string;
  readonly phase: 'before' | 'after';
}

/** Service name (as counted) -> its operations. */
const BUILT_IN_SERVICES: Record<string, Record<string, OperationHandler>> = {
  CloudWatchLogs: cloudWatchLogs,
  CloudTrail: cloudTrail,
  STS: sts,
  Organizations: organizations,
  EventBridge: eventBridge,
  Account: account,
  DynamoDB: dynamoDb,
  EC2: ec2,
  GuardDuty: guardDuty,
  S3: s3,
};

/** The exception each service really throws for throttling and for a 5xx. */
const INJECTED_ERRORS: Record<string, Record<InjectedFault, (metadata: { httpStatusCode: number }) => Error>> = {
  CloudTrail: {
    throttle: ($metadata) => new CloudTrailThrottling({ $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new CloudTrailServiceException({ name: 'InternalFailure', $fault: 'server', $metadata, message: 'Internal failure' }),
  },
  S3: {
    // S3 throttles with 503 SlowDown (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
    throttle: () =>
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 }, message: 'Please reduce your request rate.' }),
    'server-error': ($metadata) =>
      new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata, message: 'We encountered an internal error. Please try again.' }),
  },
  CloudWatchLogs: {
    throttle: ($metadata) => new ThrottlingException({ $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new ServiceUnavailableException({ $metadata, message: 'Service unavailable' }),
  },
  Organizations: {
    throttle: ($metadata) => new TooManyRequestsException({ $metadata, message: 'Rate exceeded', Message: 'Rate exceeded' }),
    'server-error': ($metadata) => new OrganizationsServerError({ $metadata, message: 'Internal failure', Message: 'Internal failure' }),
  },
  EventBridge: {
    throttle: ($metadata) => new EventBridgeThrottling({ $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new EventBridgeInternal({ $metadata, message: 'Internal failure' }),
  },
  Account: {
    throttle: ($metadata) => new AccountTooManyRequests({ $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new AccountInternal({ $metadata, message: 'Internal failure' }),
  },
  DynamoDB: {
    throttle: ($metadata) => new DynamoThrottling({ $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new DynamoInternal({ $metadata, message: 'Internal server error' }),
  },
  EC2: {
    throttle: () => ec2Error('RequestLimitExceeded', 'Request limit exceeded.'),
    'server-error': () => ec2Error('InternalError', 'An internal error has occurred', 'server'),
  },
  GuardDuty: {
    throttle: () => guardDutyThrottled(),
    'server-error': () => guardDutyServerError(),
  },
  STS: {
    throttle: ($metadata) => new STSServiceException({ name: 'Throttling', $fault: 'client', $metadata, message: 'Rate exceeded' }),
    'server-error': ($metadata) => new STSServiceException({ name: 'InternalFailure', $fault: 'server', $metadata, message: 'Internal failure' }),
  },
};

function injectedError(service: string, fault: InjectedFault): Error {
  const make = INJECTED_ERRORS[service]?.[fault];
  if (!make) throw new Error(`simulator: no ${fault} error defined for ${service}`);
  return make({ httpStatusCode: fault === 'throttle' ? 400 : 503 });
}

/** The minimal surface of an SDK v3 client the simulator needs. */
interface SdkClient {
  readonly middlewareStack: SdkMiddlewareStack;
  readonly config: { credentials: () => Promise<AwsCredentialIdentity>; region: () => Promise<string> };
  send: (command: { readonly input: object }) => Promise<unknown>;
}

interface SdkMiddlewareStack {
  clone: () => SdkMiddlewareStack;
  remove: (name: string) => boolean;
  resolve: (handler: (args: any) => Promise<{ output: unknown }>, context: object) => (args: { input: object }) => Promise<{ output: unknown }>;
}

/**
 * The SDK's client middleware that only makes or reads the HTTP exchange (S3's included). A
 * command's own middleware (endpoint, serialization, checksums) is never resolved offline.
 */
const WIRE_MIDDLEWARE = [
  'serializerMiddleware',
  'contentLengthMiddleware',
  'addExpectContinueMiddleware',
  's3ExpressMiddleware',
  'bucketEndpointMiddleware',
  'regionRedirectEndpointMiddleware',
  'getUserAgentMiddleware',
  'hostHeaderMiddleware',
  'recursionDetectionMiddleware',
  'httpAuthSchemeMiddleware',
  'httpSigningMiddleware',
  'deserializerMiddleware',
];

/**
 * Offline no request reaches the wire (`attach` takes out the middleware that would send one), so
 * clients share one handler that refuses any, rather than each holding an HTTP handler and its
 * agents (a tenth of a client's memory, and each warm Lambda environment keeps up to 64 clients).
 */
const NO_WIRE: HttpHandler = {
  handle: () => Promise.reject(new Error('simulator: a request reached the wire')),
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
};

/**
 * The SDK's defaults, stated: a client that must look a setting up in the environment and the
 * shared config files throws and catches two errors for each one missing, per client, which was
 * a sixth of the simulator's CPU; offline, nothing there may change a client's behaviour anyway.
 */
const OFFLINE_CLIENT_SETTINGS: ClientSettings = {
  defaultsMode: 'legacy',
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  authSchemePreference: [],
  requestHandler: NO_WIRE,
};

export class SimulatedAws {
  public readonly ledger = new CallLedger();
  public readonly faults: FaultInjector;
  /** AWS's request-rate quotas, enforced whatever the fault knobs say. */
  public readonly rateLimits: RateLimits;
  private readonly services: Record<string, Record<string, OperationHandler>> = { ...BUILT_IN_SERVICES };
  /** Every role a member account holds; a member session's credentials carry its number in this list. */
  public readonly memberRoleNames: readonly string[];
  /** The write calls applied, as CloudTrail delivers them to EventBridge (off until started). */
  public readonly cloudTrail: CloudTrailRecorder;
  /**
   * Clients the Lambda environments' factories share (sim/shared-clients.ts): as many as a
   * reconcile at 1,000 accounts x 10 regions uses at once (each region's clients of its accounts
   * in flight, and the orchestrator's own), about 140 MB at most.
   */
  private readonly environmentClients = new SharedClientPool(8192);

  public constructor(
    public readonly state: SimOrganizationState,
    /** The roles the member baseline deploys in every account (one per task); the operator's role is added. */
    memberRoles: readonly string[],
    faults: FaultOptions,
    public readonly clock: VirtualClock,
    quotas: Readonly<Record<string, RateQuota>> = RATE_QUOTAS,
  ) {
    this.memberRoleNames = [...memberRoles, OPERATOR_ROLE_NAME];
    this.rateLimits = new RateLimits(quotas);
    this.faults = new FaultInjector(faults);
    this.cloudTrail = new CloudTrailRecorder((key) => this.faults.nextDraw(key));
    // The SDK reads the shared config files the first time a client resolves its settings: real
    // I/O, during which virtual time must not move (or the first run of a process would differ).
    clock.hold(loadSharedConfigFiles());
  }

  /** Adds a service whose operations need more than the organization's state (Step Functions runs workflows). */
  public addService(name: string, operations: Record<string, OperationHandler>): void {
    this.services[name] = operations;
  }

  /** Credentials that make a client act as `accountId` (for the hub and for scenario set-up). */
  public credentialsFor(accountId: string): AwsCredentialIdentity {
    return { accessKeyId: simulatedAccessKeyFor(accountId), secretAccessKey: 'simulated', sessionToken: 'simulated' };
  }

  /**
   * A client factory whose clients act on this simulator, as the orchestration account would,
   * assuming `memberRoleName` in member accounts: a task's own role, or the operator's.
   */
  public clientFactory(
    orchestrationAccount: string,
    hubRegion: Region,
    memberRoleName: string = OPERATOR_ROLE_NAME,
    /** A Lambda environment's factory, whose tasks only run inside invocations: its member clients come from the shared pool. */
    { lambdaEnvironment = false }: { lambdaEnvironment?: boolean } = {},
  ): ClientFactory {
    return new ClientFactory({
      ...(lambdaEnvironment ? { sharedClients: this.environmentClients } : {}),
      memberRoleName,
      hubRegion,
      credentials: this.credentialsFor(orchestrationAccount),
      decorate: (client) => this.attach(client),
      retryStrategy: (settings) => virtualClockRetry(this.clock, (n) => this.faults.draw('sdk-retry', n), settings),
      clock: this.clock,
      clientSettings: OFFLINE_CLIENT_SETTINGS,
    });
  }

  /**
   * Tests' hooks on every call, before it is sent and after it applied: a hook may sleep on the
   * virtual clock (a stalled caller) or throw (a caller that dies, before sending or after the
   * write took effect).
   */
  public readonly interceptors: Array<(call: InterceptedCall) => Promise<void> | void> = [];

  /** Decides member-role calls and tasks' own calls (sim/iam-authorizer.ts); absent, every call is allowed. */
  public authorizer?: IamAuthorizer;

  /**
   * Routes every command of `client` to the simulator, through the SDK's own middleware that
   * decides anything a caller sees: its retries and their delays (on the virtual clock), the
   * client's rate limiter, S3's bucket-name check. The rest only makes bytes for the wire
   * (endpoint, serialization, headers, signing, parsing): offline it proves nothing, and it was
   * four fifths of a simulated call's CPU. Each attempt reaches the simulator as AWS counts it.
   */
  public attach(client: unknown): void {
    const sdk = client as SdkClient;
    const clientName = sdk.constructor.name;
    const service = clientName.replace(/Client$/, '');
    const handlers = new Map<string, (args: { input: object }) => Promise<{ output: unknown }>>();
    let stack: SdkMiddlewareStack | undefined;
    const handlerFor = (commandName: string) => {
      const cached = handlers.get(commandName);
      if (cached) return cached;
      // The client's own stack, which `send` no longer reaches otherwise (a copy per client was a
      // sixth of its memory), taken on the first send, once the client factory has added its limiter.
      if (!stack) {
        stack = sdk.middlewareStack;
        for (const name of WIRE_MIDDLEWARE) stack.remove(name);
      }
      const context = { clientName, commandName };
      const operation = commandName.replace(/Command$/, '');
      // The call site of the last credentials and region seen: a client's credentials change only when refreshed.
      let site: { accessKeyId: string; at: CallSite } | undefined;
      const handler = stack.resolve(async (args: { input: Record<string, unknown> }) => {
        const { accessKeyId } = await sdk.config.credentials();
        const region = await sdk.config.region();
        if (site?.accessKeyId !== accessKeyId || site.at.region !== region) {
          const caller = accountOfAccessKey(accessKeyId);
          if (!caller) throw new Error(`simulator: credentials ${accessKeyId} do not name a simulated account`);
          const roleIndex = roleIndexOfAccessKey(accessKeyId);
          site = { accessKeyId, at: this.callSite(service, operation, caller, region, roleIndex === undefined ? undefined : this.memberRoleNames[roleIndex]) };
        }
        const output = await this.dispatch(site.at, args.input);
        return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
      }, context);
      handlers.set(commandName, handler);
      return handler;
    };
    sdk.send = (command: { readonly input: object }) => handlerFor(command.constructor.name)({ input: command.input }).then((result) => result.output);
  }

  /**
   * A client without the SDK's middleware: each command goes straight to the simulated service,
   * with the same latency, hooks, quotas and faults, but no SDK retries and no serialization. For
   * tests that run thousands of interleavings, where the SDK's own stack would cost most of the time.
   */
  public directClient(service: string, callerAccount: string, region: string): { send: (command: { readonly input: object }) => Promise<any> } {
    return {
      send: (command) =>
        this.dispatch(
          this.callSite(service, command.constructor.name.replace(/Command$/, ''), callerAccount, region, undefined),
          command.input as Record<string, unknown>,
        ),
    };
  }

  private callSite(service: string, operation: string, callerAccount: string, region: string, memberRole: string | undefined): CallSite {
    const name = `${service}.${operation}`;
    const order = `${callerAccount}/${region}/${service}Client.${operation}Command`;
    return {
      service,
      operation,
      name,
      callerAccount,
      region,
      memberRole,
      order,
      latency: this.faults.drawSeries(`latency/${order}`),
      bucketFor: this.rateLimits.bucketKeys(name, callerAccount, region),
      decidedBy: memberRole && memberRole !== OPERATOR_ROLE_NAME ? this.authorizer?.decidedByInput(name, callerAccount, region, memberRole) : undefined,
    };
  }

  /** One call as it travels: hooks before, refused once its Lambda stopped, latency, the service, hooks after. */
  private async dispatch(site: CallSite, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { service, operation, callerAccount, region } = site;
    const call: InterceptedCall = { service, operation, input, callerAccount, region, phase: 'before' };
    // A 'before' hook is the caller's own delay: a caller stopped meanwhile never sends.
    for (const intercept of this.interceptors) await intercept(call);
    if (lambdaInvocation.getStore()?.terminated) throw new InvocationTerminatedError(`${operation} after the Lambda invocation timed out: never sent`);
    // Every call takes time on the wire; calls arriving at one instant are answered in a fixed
    // order. Its latency and its place are taken as it is sent: deciding its authorization takes
    // no virtual time, but more promise turns when the decision is not cached yet, which would
    // otherwise reorder calls sent at one instant by what earlier runs of the process cached.
    const latency = latencyMs(site.latency);
    const turn = this.clock.takeTurn();
    // Most calls are decided already: no wait for them.
    const authorizing = this.authorize(site, input);
    if (authorizing) await authorizing;
    await this.clock.sleep(latency, site.order, turn);
    const output = this.call(site, input);
    for (const intercept of this.interceptors) await intercept({ ...call, phase: 'after' });
    return output;
  }

  /**
   * Refuses a call its caller's role does not allow: the member role's policy, or the calling task's
   * own statements. Undefined once decided, a promise while a decision is still being made.
   */
  private authorize(site: CallSite, input: Record<string, unknown>): Promise<void> | undefined {
    if (!this.authorizer) return undefined;
    const { service, operation, callerAccount, region, memberRole } = site;
    let role: string;
    let denied: Decided<IamRequest | undefined>;
    // A member role's call is its session's, whichever task made it.
    const task = memberRole ? undefined : lambdaInvocation.getStore()?.task;
    if (memberRole === OPERATOR_ROLE_NAME) {
      role = memberRole;
      denied = this.authorizer.deniedByResource(resourcePolicyRequests(service, operation, input, callerAccount, region, this.state), callerAccount);
    } else if (memberRole) {
      role = memberRole;
      denied = this.authorizer.deniedCall(site.decidedBy, input, callerAccount, memberRole, () =>
        iamRequests(service, operation, input, callerAccount, region, this.state),
      );
    } else if (task) {
      role = `tributary-task-${task}`;
      const organization = {
        id: this.state.organizationId,
        management: this.state.managementAccountId,
        memberRoleTrust: (roleName: string) => this.authorizer!.memberRoleTrust(roleName),
      };
      denied = this.authorizer.deniedForTask(hubRequests(service, operation, input, callerAccount, region, organization, this.state), task);
    } else {
      role = SIMULATED_ADMINISTRATOR;
      const requests = this.authorizer.scpsApply(callerAccount) ? scpRequests : resourcePolicyRequests;
      denied = this.authorizer.deniedByResource(requests(service, operation, input, callerAccount, region, this.state), callerAccount);
    }
    const refuse = (request: IamRequest | undefined) => {
      if (!request) return;
      this.ledger.recordFault('access-denied');
      throw accessDenied(
        service,
        `User: arn:aws:sts::${callerAccount}:assumed-role/${role}/tributary is not authorized to perform: ${request.action} on resource: ${request.resource}`,
      );
    };
    if (denied instanceof Promise) return denied.then(refuse);
    refuse(denied);
    return undefined;
  }

  private call(site: CallSite, input: Record<string, unknown>): Record<string, unknown> {
    const { service, operation, name, callerAccount, region, memberRole } = site;
    const handler = this.services[service]?.[operation];
    if (!handler) throw new Error(`simulator: ${name} is not simulated`);
    this.ledger.record(name);
    const now = this.clock.now();
    if (!this.rateLimits.takeFrom(name, site.bucketFor(itemKey(input)), now)) {
      this.ledger.recordFault('rate-limit');
      throw injectedError(service, 'throttle');
    }
    const fault = this.faults.next(name, callerAccount, region);
    if (fault) {
      this.ledger.recordFault(fault);
      throw injectedError(service, fault);
    }
    // Whether CloudTrail records the call is decided as it is made: a StopLogging is itself recorded.
    const logged = cloudTrailLogs(this.state, callerAccount, region);
    // Inputs are copied so that a handler can never keep a reference to the caller's objects.
    const output = handler(copyData(input), { callerAccount, region, state: this.state, memberRoleNames: this.memberRoleNames, now });
    // Applied: CloudTrail records it, whether or not its response reaches the caller.
    if (logged) {
      const principalArn = callerArn(callerAccount, memberRole, lambdaInvocation.getStore()?.task);
      this.cloudTrail.record({ service, operation, input, account: callerAccount, region, principalArn, now });
    }
    if (isWriteOperation(operation)) {
      this.ledger.recordWrite();
      // The write took effect, then its response was lost: the caller sees a 5xx and may retry.
      if (this.faults.failsAfterApplying(name, callerAccount, region)) {
        this.ledger.recordFault('after-write');
        throw injectedError(service, 'server-error');
      }
    }
    return output;
  }
}

/** In-region API latency: 20 to 50 ms, seeded per call (a modelling assumption, not a documented figure). */
function latencyMs(draws: DrawSeries): number {
  return 20 + Math.floor(30 * draws.next());
}

/** The caller as CloudTrail names it (userIdentity.arn): a member role's session, a task's own role, or an account's administrator. */
function callerArn(account: string, memberRole: string | undefined, task: string | undefined): string {
  if (memberRole) return `arn:aws:sts::${account}:assumed-role/${memberRole}/tributary`;
  if (task) return `arn:aws:sts::${account}:assumed-role/tributary-task-${task}/${task}`;
  return `arn:aws:sts::${account}:assumed-role/${SIMULATED_ADMINISTRATOR}/person`;
}

/** The role an account's own people act with offline (tests, stories): its identity policy allows everything. */
export const SIMULATED_ADMINISTRATOR = 'simulated-administrator';

/** The service's own access-denied error (EC2 names it UnauthorizedOperation). */
function accessDenied(service: string, message: string): Error {
  const name = service === 'EC2' ? 'UnauthorizedOperation' : service === 'STS' ? 'AccessDenied' : 'AccessDeniedException';
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 403 } });
}

/** The DynamoDB item a call addresses (its hot-key quota is per partition key). */
function itemKey(input: Record<string, unknown>): string | undefined {
  return partitionKeyOf(input.Key ?? input.Item);
}
