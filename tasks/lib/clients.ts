/**
 * Where every task gets its AWS clients. In AWS the factory assumes the member role in the
 * target account through STS (credentials cached until shortly before they expire); offline the
 * simulator attaches itself through `decorate`. No client exists before a task asks for one.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, RetryStrategy, RetryStrategyV2 } from '@aws-sdk/types';
import type { HttpHandlerUserInput } from '@smithy/core/protocols';
import { partitionOf, type AccountId, type Region } from './domain';
import { BaselineRoleNotReadyError } from './errors';
import { toTaskError } from './aws-errors';
import { systemClock, type Clock } from './clock';
import { LruCache } from './lru-cache';
import { invocationLimiter, RateLimiter } from './rate-limiter';

export interface ClientFactoryOptions {
  /** Role assumed in member accounts (config `memberRoleName`). */
  readonly memberRoleName: string;
  /** Region of the orchestrator (STS and Organizations calls). */
  readonly hubRegion: Region;
  /** The orchestrator's own credentials. @default the SDK's default credential chain */
  readonly credentials?: AwsCredentialIdentity;
  /** Called with every client created; the simulator attaches itself here. @default none */
  readonly decorate?: (client: unknown) => void;
  /**
   * Makes each client's own retry strategy from its settings (the simulator sleeps on its clock).
   * @default the SDK's standard strategy with `retrySettings(service)`
   */
  readonly retryStrategy?: (settings: RetrySettings) => RetryStrategy | RetryStrategyV2;
  /** Clock, for credential expiry and the rate limiter. @default the system clock */
  readonly clock?: Clock;
  /**
   * Settings every client takes as given instead of looking them up in the environment and the
   * shared config files (the simulator states the SDK's defaults). @default looked up by the SDK
   */
  readonly clientSettings?: ClientSettings;
  /**
   * Member clients built alike (service, account, region, credentials), shared between factories
   * whose tasks only run inside Lambda invocations, where each call takes its limiter and retry
   * quota from the invocation, not from the client; it takes the place of the factory's own cache.
   * @default each factory builds and caches its own
   */
  readonly sharedClients?: SharedClients;
}

/** Member clients shared between factories, by a key naming everything a client is built from. */
export interface SharedClients {
  get<T>(key: string, build: () => T): T;
}

/** Client settings the SDK otherwise resolves from `AWS_*` variables and `~/.aws/config`. */
export interface ClientSettings {
  readonly defaultsMode?: 'legacy' | 'standard' | 'in-region' | 'cross-region' | 'mobile' | 'auto';
  readonly useFipsEndpoint?: boolean;
  readonly useDualstackEndpoint?: boolean;
  readonly authSchemePreference?: string[];
  /** What sends a client's requests, shared by every client. @default the SDK's own, a NodeHttpHandler per client */
  readonly requestHandler?: HttpHandlerUserInput;
}

/** How a client retries a call: the SDK's standard strategy, with these settings. */
export interface RetrySettings {
  readonly maxAttempts: number;
  /** Base of the backoff after an error other than throttling. @default the SDK's (50 ms) */
  readonly baseDelayMs?: number;
}

/**
 * Attempts per call. The SDK's default (3; DynamoDB 4) gives up on a call throttled three times in
 * a row, and one task attempt makes up to about ten calls (a destination policy change: intents,
 * lease, describe, put, release), so under heavy throttling whole task attempts failed until Step
 * Functions' retries ran out (issue #18). Retrying the call itself costs less than re-running the
 * task; the client's retry quota (500 tokens) still stops a retry storm.
 */
export const SDK_MAX_ATTEMPTS = 8;

/** Each service's settings: DynamoDB keeps its own shorter base delay (25 ms, its client's default). */
export function retrySettings(service: string): RetrySettings {
  return service === 'dynamodb' ? { maxAttempts: SDK_MAX_ATTEMPTS, baseDelayMs: 25 } : { maxAttempts: SDK_MAX_ATTEMPTS };
}

/** Refresh assumed credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Member clients one factory keeps, the least recently used dropped first. A warm Lambda
 * environment serves account-region after account-region (a page task, every page of a reconcile):
 * unbounded, it would hold a client, and its connections, for each one it ever served.
 */
export const MAX_CACHED_CLIENTS = 64;

interface CachedCredentials {
  readonly credentials: AwsCredentialIdentity;
  readonly expiresAt: number;
}

interface HubClients {
  readonly sts: STSClient;
  readonly organizations: OrganizationsClient;
  readonly dynamo: DynamoDBClient;
  readonly account: AccountClient;
  readonly events: EventBridgeClient;
  readonly s3: S3Client;
}

export class ClientFactory {
  private readonly assumed = new Map<AccountId, Promise<CachedCredentials>>();
  /** When each account's cached credentials expire, once known. */
  private readonly expiries = new Map<AccountId, number>();
  private readonly clients = new LruCache<string, { client: unknown; expiresAt: number }>(MAX_CACHED_CLIENTS);
  private hubClients?: HubClients;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;

  public constructor(private readonly options: ClientFactoryOptions) {
    this.clock = options.clock ?? systemClock;
    this.limiter = new RateLimiter(this.clock);
  }

  /** CloudWatch Logs in a member (or the logging) account, as the member role. */
  public async logs(accountId: AccountId, region: Region): Promise<CloudWatchLogsClient> {
    return this.memberClient(accountId, region, 'logs', (credentials) => new CloudWatchLogsClient({ ...this.common('logs'), region, credentials }));
  }

  /** EC2 (VPCs, flow logs) in a member account-region, as the member role. */
  public async ec2(accountId: AccountId, region: Region): Promise<EC2Client> {
    return this.memberClient(accountId, region, 'ec2', (credentials) => new EC2Client({ ...this.common('ec2'), region, credentials }));
  }

  /** GuardDuty in an account-region (a member, or the GuardDuty administrator), as the member role. */
  public async guardDuty(accountId: AccountId, region: Region): Promise<GuardDutyClient> {
    return this.memberClient(accountId, region, 'guardduty', (credentials) => new GuardDutyClient({ ...this.common('guardduty'), region, credentials }));
  }

  /** EventBridge on a member account-region's default bus, as the member role. */
  public async events(accountId: AccountId, region: Region): Promise<EventBridgeClient> {
    return this.memberClient(accountId, region, 'events', (credentials) => new EventBridgeClient({ ...this.common('events'), region, credentials }));
  }

  /** CloudTrail in an account-region (its trails, and the organization's as shadow trails), as the member role: `plan`'s reads. */
  public async cloudTrail(accountId: AccountId, region: Region): Promise<CloudTrailClient> {
    return this.memberClient(accountId, region, 'cloudtrail', (credentials) => new CloudTrailClient({ ...this.common('cloudtrail'), region, credentials }));
  }

  /** Organizations, as the orchestrator (a delegated administrator for reads). */
  public organizations(): OrganizationsClient {
    return this.hub().organizations;
  }

  /** DynamoDB in the hub (the lease-lock table), as the orchestrator. */
  public dynamo(): DynamoDBClient {
    return this.hub().dynamo;
  }

  /** Account Management (a member's enabled regions), as the orchestrator (a delegated administrator). */
  public account(): AccountClient {
    return this.hub().account;
  }

  /** EventBridge in the hub (the hub bus), as the orchestrator. */
  public hubEvents(): EventBridgeClient {
    return this.hub().events;
  }

  /** S3 in the home region (the logging account's archive bucket, cross-account), as the orchestrator. */
  public s3(): S3Client {
    return this.hub().s3;
  }

  private hub(): HubClients {
    if (!this.hubClients) {
      const config = (service: string) => ({
        ...this.common(service),
        region: this.options.hubRegion,
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
      });
      // The orchestrator's clients are built alike in every factory: shared too, where clients are.
      const shared = this.options.sharedClients;
      const hubClient = <T>(service: string, build: () => T): T => {
        const make = () => this.decorated(build());
        return shared ? shared.get(`hub/${service}/${this.options.hubRegion}/${this.options.credentials?.accessKeyId ?? 'default chain'}`, make) : make();
      };
      this.hubClients = {
        sts: hubClient('sts', () => new STSClient(config('sts'))),
        organizations: hubClient('organizations', () => new OrganizationsClient(config('organizations'))),
        dynamo: hubClient('dynamodb', () => new DynamoDBClient(config('dynamodb'))),
        // Account Management is a global service answered in us-east-1.
        account: hubClient('account', () => new AccountClient({ ...config('account'), region: 'us-east-1' })),
        events: hubClient('events', () => new EventBridgeClient(config('events'))),
        s3: hubClient('s3', () => new S3Client(config('s3'))),
      };
    }
    return this.hubClients;
  }

  private common(service: string): ClientSettings & { maxAttempts: number; retryStrategy?: RetryStrategy | RetryStrategyV2 } {
    const settings = retrySettings(service);
    return {
      ...this.options.clientSettings,
      maxAttempts: settings.maxAttempts,
      ...(this.options.retryStrategy ? { retryStrategy: this.options.retryStrategy(settings) } : {}),
    };
  }

  /** Every attempt (retries included) of every operation waits for the limiter of its account-region. */
  private rateLimited(client: unknown, scope: string): void {
    (client as { middlewareStack: { add: (middleware: unknown, options: unknown) => void } }).middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { clientName: string; commandName: string }) => {
        const operation = `${context.clientName.replace(/Client$/, '')}.${context.commandName.replace(/Command$/, '')}`;
        return async (args: unknown) => {
          await (invocationLimiter.getStore() ?? this.limiter).acquire(operation, scope);
          return next(args);
        };
      },
      { step: 'finalizeRequest', name: 'tributaryRateLimiter', priority: 'normal' },
    );
  }

  private decorated<T>(client: T): T {
    this.options.decorate?.(client);
    return client;
  }

  private async memberClient<T>(accountId: AccountId, region: Region, service: string, create: (credentials: AwsCredentialIdentity) => T): Promise<T> {
    const { credentials, expiresAt } = await this.credentialsFor(accountId);
    const key = `${service}/${accountId}/${region}`;
    const build = () => {
      const client = create(credentials);
      this.rateLimited(client, `${accountId}/${region}`);
      return this.decorated(client);
    };
    const shared = this.options.sharedClients;
    if (shared) return shared.get(`${key}/${this.options.memberRoleName}/${credentials.accessKeyId}/${credentials.sessionToken ?? ''}`, build);
    const cached = this.clients.get(key);
    if (cached && cached.expiresAt === expiresAt) return cached.client as T;
    const client = build();
    this.clients.set(key, { client, expiresAt });
    return client;
  }

  private credentialsFor(accountId: AccountId): Promise<CachedCredentials> {
    // One request per account at a time: callers share it until its credentials near expiry.
    const pending = this.assumed.get(accountId);
    const expiresAt = this.expiries.get(accountId);
    if (pending && (expiresAt === undefined || expiresAt - REFRESH_MARGIN_MS > this.clock.now())) return pending;
    return this.assume(accountId);
  }

  private assume(accountId: AccountId): Promise<CachedCredentials> {
    const roleArn = `arn:${partitionOf(this.options.hubRegion)}:iam::${accountId}:role/${this.options.memberRoleName}`;
    const request = this.hub()
      .sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'tributary', DurationSeconds: 3600 }))
      .then(({ Credentials: c }) => {
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS returned no credentials for ${roleArn}`);
        const expiresAt = c.Expiration ? c.Expiration.getTime() : Number.POSITIVE_INFINITY;
        this.expiries.set(accountId, expiresAt);
        return {
          credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) },
          expiresAt,
        };
      })
      .catch((error: unknown) => {
        // Forget the failure so the next attempt asks STS again.
        if (this.assumed.get(accountId) === request) this.assumed.delete(accountId);
        if ((error as { name?: string }).name === 'AccessDenied') {
          throw new BaselineRoleNotReadyError(`cannot assume ${roleArn} yet: the account's baseline role is missing or not trusted`, { cause: error });
        }
        throw toTaskError(error, `sts:AssumeRole ${roleArn}`);
      });
    this.assumed.set(accountId, request);
    this.expiries.delete(accountId);
    return request;
  }
}
