/**
 * Tributary's one configuration, validated with zod. Every problem names the field and the value,
 * and all problems are reported at once.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { z } from 'zod';
import { InvalidConfigError } from './errors';
import { activePartitionBound, ARCHIVE_PARTITIONINGS, DEFAULT_ACTIVE_PARTITION_QUOTA, MAX_ACTIVE_PARTITION_QUOTA } from './data-path/archive-layout';
import { DEFAULT_REPAIRS_PER_HOUR } from './tampering';
import { LOG_CATEGORIES, type LogCategory } from './data-path/log-source';
import { KNOWN_REGIONS, type AccountId, type OrganizationId, type Region } from './domain';

const accountId = z
  .string()
  .regex(/^\d{12}$/, 'is not an AWS account id (12 digits)')
  .transform((s) => s as AccountId);
/** The task code builds `arn:aws:` ARNs; the stacks build theirs from the partition. */
/** `<memberRoleName>-<Task>` fits IAM's 64 characters: the longest task name (ReconcileDestinationAccess) has 26. */
const MEMBER_ROLE_PREFIX_MAX = 64 - 1 - 'ReconcileDestinationAccess'.length;
const OTHER_PARTITION = /^(cn|us-gov|us-iso[a-z]?|eu-isoe)-/;
const region = z
  .string()
  .refine((s) => KNOWN_REGIONS.has(s), 'is not a known AWS region')
  .refine((s) => !OTHER_PARTITION.test(s), 'is outside the aws partition (China, GovCloud and isolated regions are not supported yet)')
  .transform((s) => s as Region);

const httpsUrl = z
  .string()
  .max(1000, 'is longer than 1000 characters')
  .regex(/^https:\/\/[^\s/?#:]+(:443)?(\/[^\s]*)?$/, 'is not an https URL on port 443 (the only port Firehose delivers to)');
const secretArn = z.string().regex(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]{1,512}$/, 'is not a Secrets Manager secret ARN');
/** The categories a SIEM or a backfill may take: every one but the heartbeat. */
const FORWARDED_CATEGORIES = LOG_CATEGORIES.filter((c) => c !== 'heartbeat');
const forwardedCategory = z.enum(FORWARDED_CATEGORIES as [LogCategory, ...LogCategory[]], { error: `must be one of ${FORWARDED_CATEGORIES.join(', ')}` });

/**
 * A second consumer of each region's stream, delivering the SIEM's share to one destination
 * through its own Firehose (infra/constructs/siem-delivery-stream.ts). @default none
 */
const siemSchema = z
  .object({
    destination: z.discriminatedUnion(
      'type',
      [
        /** Firehose HTTP endpoint delivery; the access key is the secret's `api_key`. */
        z.object({ type: z.literal('http'), url: httpsUrl, accessKeySecretArn: secretArn }).strict(),
        /** Splunk HTTP Event Collector; the token is the secret's `hec_token`. */
        z
          .object({
            type: z.literal('splunk'),
            hecEndpoint: httpsUrl,
            hecEndpointType: z.enum(['Raw', 'Event'], { error: 'must be "Raw" or "Event"' }).default('Raw'),
            hecTokenSecretArn: secretArn,
          })
          .strict(),
        /** An OpenSearch Service domain in the stream's region, written through Firehose's role. */
        z
          .object({
            type: z.literal('opensearch'),
            domainArn: z.string().regex(/^arn:aws:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/, 'is not an OpenSearch Service domain ARN'),
            indexName: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'is not an index name (lowercase, at most 80 characters)'),
          })
          .strict(),
      ],
      { error: 'must have type "http", "splunk" or "opensearch"' },
    ),
    /** `ocsf`: OCSF 1.1.0 events; `raw`: the archive's own lines. @default "ocsf" */
    format: z.enum(['ocsf', 'raw'], { error: 'must be "ocsf" or "raw"' }).default('ocsf'),
    /** The categories the SIEM takes; the archive always takes all. @default audit and network */
    categories: z.array(forwardedCategory).min(1, 'must name at least one category').default(['audit', 'network']),
    /** Per category, strings one of which a message must contain to go to the SIEM. @default every event */
    filters: z
      .partialRecord(forwardedCategory, z.array(z.string().min(1, 'is an empty string').max(256, 'is longer than 256 characters')).min(1, 'is empty'))
      .optional(),
    /** How long Firehose retries a batch before it goes to the backup prefix (0-7200 s, Firehose's range). @default 7200 */
    retrySeconds: z.number().int('must be a whole number').min(0, 'must be between 0 and 7200').max(7200, 'must be between 0 and 7200').default(7200),
    /** The longest SIEM outage to ride out without a replay: the stream must keep records that long. @default 24 */
    maxOutageHours: z.number().int('must be a whole number').min(1, 'must be at least 1 hour').default(24),
  })
  .strict();

export type SiemConfig = z.output<typeof siemSchema>;

export const configSchema = z
  .object({
    organizationId: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, 'is not an organization id (o- then 10-32 lowercase letters or digits)')
      .transform((s) => s as OrganizationId),
    accounts: z
      .object({
        /** Management account: Organizations and Control Tower events are delivered here. */
        management: accountId,
        /** Logging account: destinations, streams, Firehose and the archive bucket. */
        logging: accountId,
        /** Orchestration (hub) account: the state machines, task Lambdas and the hub event bus. */
        orchestration: accountId,
        /**
         * Where `tributary deploy` runs from: every other account's CDK bootstrap trusts it. A
         * dedicated deployment account keeps that trust out of the accounts that hold the logs.
         * @default the orchestration account
         */
        deployment: accountId.optional(),
      })
      .strict(),
    homeRegion: region,
    governedRegions: z.array(region).min(1, 'must list at least one region'),
    /** Where the member baseline StackSet deploys: the organization root (r-...) or organizational units (ou-...). */
    memberBaselineTargets: z
      .array(z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'is not an organization root (r-...) or OU id (ou-...)'))
      .min(1, 'must name the root or at least one OU'),
    /**
     * Prefix of the roles the task Lambdas assume in each member account, one per task:
     * `<memberRoleName>-<Task>` (deployed by the member baseline). An IAM role name has at most 64
     * characters and the longest task name 26, so the prefix has at most 37.
     */
    memberRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'is not a valid IAM role name')
      .max(MEMBER_ROLE_PREFIX_MAX, `is longer than ${MEMBER_ROLE_PREFIX_MAX} characters: each task's member role is named <memberRoleName>-<Task>, at most 64`),
    /**
     * Who may assume the read-only plan role `<memberRoleName>-Plan` in every account (`tributary
     * plan` against AWS). @default the orchestration account (its IAM decides who)
     */
    planRolePrincipal: z
      .string()
      .regex(/^arn:aws:(iam::\d{12}:(root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512}))$/, 'is not an IAM role, user or account root ARN')
      .optional(),
    /** Globs over log group names that are never subscribed (the pipeline's own groups always are excluded). */
    logGroupExclusions: z.array(z.string().min(1, 'is an empty glob')).default([]),
    subscription: z
      .object({
        mode: z.enum(['log-group', 'account-policy'], { error: 'must be "log-group" or "account-policy"' }),
        /** CloudWatch Logs filter pattern; empty forwards every event. */
        filterPattern: z.string().max(1024, 'is longer than 1024 characters').default(''),
      })
      .strict(),
    destinationAccess: z.enum(['organization', 'account-list'], { error: 'must be "organization" or "account-list"' }),
    flowLogs: z
      .object({
        enabled: z.boolean(),
        trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT'], { error: 'must be ALL, ACCEPT or REJECT' }),
        destination: z.enum(['log-group', 's3'], { error: 'must be "log-group" or "s3"' }),
      })
      .strict(),
    guardDuty: z
      .object({
        mode: z.enum(['organization', 'invitation', 'off'], { error: 'must be "organization", "invitation" or "off"' }),
        administratorAccount: accountId,
      })
      .strict(),
    /** The archive's key layout and what it must hold; see tasks/lib/data-path/archive-layout.ts. */
    archive: z
      .object({
        partitioning: z.enum(ARCHIVE_PARTITIONINGS, { error: `must be one of ${ARCHIVE_PARTITIONINGS.map((p) => `"${p}"`).join(', ')}` }),
        /** Accounts the archive must hold (members, logging and the rest), with room to grow. */
        expectedAccounts: z.number().int('must be a whole number').min(1, 'must be at least 1'),
        /** Firehose active partitions per stream: 500 unless AWS raised it on request (5,000 at most). */
        activePartitionQuota: z
          .number()
          .int('must be a whole number')
          .min(DEFAULT_ACTIVE_PARTITION_QUOTA, `must be between ${DEFAULT_ACTIVE_PARTITION_QUOTA} (the default quota) and ${MAX_ACTIVE_PARTITION_QUOTA}`)
          .max(MAX_ACTIVE_PARTITION_QUOTA, `must be between ${DEFAULT_ACTIVE_PARTITION_QUOTA} (the default quota) and ${MAX_ACTIVE_PARTITION_QUOTA}`)
          .default(DEFAULT_ACTIVE_PARTITION_QUOTA),
        /** The only role that may schedule deletion of, or disable, the archive key. */
        breakGlassRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'is not a valid IAM role name')
          .default('TributaryBreakGlass'),
        /**
         * The digest signing key `verify` trusts, pinned after the first deploy (`tributary
         * trusted-key` prints it). @default none: `verify` then needs --trusted-key
         */
        trustedDigestKey: z
          .object({
            // The digests are signed in the home region, which is in the aws partition.
            keyArn: z.string().regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'is not a KMS key ARN'),
            fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 fingerprint (64 lowercase hex digits)'),
          })
          .strict()
          .optional(),
      })
      .strict(),
    /**
     * The CloudTrail trail every CloudTrail trigger depends on: `create` deploys an organization trail
     * (every region, log file validation, KMS, Object Lock) from the organization events stack;
     * `existing` relies on one you have, and `plan` checks that it logs every account-region; `off`
     * neither creates nor checks one. @default "existing"
     */
    cloudTrail: z.enum(['create', 'existing', 'off'], { error: 'must be "create", "existing" or "off"' }).default('existing'),
    /**
     * Who is told when an alarm fires: every alarm of every stack notifies this e-mail through its
     * stack's `tributary-alarms` topic. @default none: the alarms notify nobody (`validate` says so)
     */
    notifications: z
      .object({ email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an e-mail address') })
      .strict()
      .optional(),
    /**
     * Calls that undo Tributary's wiring (workflow repair-tampering). @default 5 repairs per resource
     * and hour; the SCP documented, not deployed
     */
    tamperRepair: z
      .object({
        /** Repairs of one resource per clock hour; past it the tampering is left to a person with an alarm. */
        maxRepairsPerHour: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be between 1 and 100')
          .max(100, 'must be between 1 and 100')
          .default(DEFAULT_REPAIRS_PER_HOUR),
        /**
         * The SCP that keeps members from switching off what cannot be repaired once it is gone (the
         * forwarding rule, Tributary's roles, GuardDuty membership, the central destinations):
         * `deploy` attaches it to memberBaselineTargets from the member baseline stack, `document`
         * only generates it (docs/tamper-prevention-scp.json) for you to attach.
         */
        serviceControlPolicy: z.enum(['deploy', 'document'], { error: 'must be "deploy" or "document"' }).default('document'),
      })
      .strict()
      .default({ maxRepairsPerHour: DEFAULT_REPAIRS_PER_HOUR, serviceControlPolicy: 'document' }),
    siem: siemSchema.optional(),
    /**
     * History to archive when a log group is first subscribed: the events of the last `days` days
     * ingested before its filter (tasks/lib/backfill.ts), at most `maxBytesPerAccount` per account.
     * @default none: the archive starts when the filter does
     */
    backfill: z
      .object({
        days: z.number().int('must be a whole number').min(1, 'must be between 1 and 3653 days').max(3653, 'must be between 1 and 3653 days'),
        categories: z.array(forwardedCategory).min(1, 'must name at least one category').default(['audit', 'network', 'application']),
        /** @default 50 GB */
        maxBytesPerAccount: z.number().int('must be a whole number').min(1_000_000, 'must be at least 1,000,000 bytes').default(50e9),
      })
      .strict()
      .optional(),
    retention: z
      .object({
        objectLockDays: z.number().int().min(1, 'must be at least 1 day').max(36500),
        glacierAfterDays: z.number().int().min(0, 'must not be negative'),
        streamHours: z.number().int().min(24, 'must be between 24 and 8760 hours').max(8760, 'must be between 24 and 8760 hours'),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // The backfill runs up to each group's own subscription filter; an account-level policy has none.
    if (config.backfill && config.subscription.mode !== 'log-group') {
      ctx.addIssue({
        code: 'custom',
        path: ['backfill'],
        input: config.subscription.mode,
        message: 'needs subscription.mode "log-group": it archives each group\'s history up to its own filter',
      });
    }
    if (!config.governedRegions.includes(config.homeRegion)) {
      ctx.addIssue({ code: 'custom', path: ['homeRegion'], input: config.homeRegion, message: 'must also be one of governedRegions' });
    }
    const needed = activePartitionBound(config.archive.expectedAccounts, config.archive.partitioning);
    if (needed > config.archive.activePartitionQuota) {
      const alternative =
        config.archive.partitioning === 'account-category'
          ? `, or archive.partitioning "account" (${activePartitionBound(config.archive.expectedAccounts, 'account')})`
          : '';
      ctx.addIssue({
        code: 'custom',
        path: ['archive', 'expectedAccounts'],
        input: config.archive.expectedAccounts,
        message: `needs up to ${needed} active Firehose partitions per region with partitioning "${config.archive.partitioning}", more than archive.activePartitionQuota (${config.archive.activePartitionQuota}): records past it would land under errors/; ask AWS to raise the quota (${MAX_ACTIVE_PARTITION_QUOTA} at most) and set it here${alternative}`,
      });
    }
    // The member baseline never deploys in the management account (service-managed StackSets skip
    // it), so the tasks would find no member role there: a single-account setup cannot work.
    if (config.accounts.logging === config.accounts.management) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'logging'],
        input: config.accounts.logging,
        message:
          'is the management account: the tasks reach the logging account through member roles the baseline never deploys in the management account; use a member account (README, "Trying it small")',
      });
    }
    if (config.guardDuty.mode !== 'off' && config.guardDuty.administratorAccount === config.accounts.management) {
      ctx.addIssue({
        code: 'custom',
        path: ['guardDuty', 'administratorAccount'],
        input: config.guardDuty.administratorAccount,
        message:
          'is the management account: the tasks reach the administrator through member roles the baseline never deploys there, and AWS recommends a delegated member; use a member account',
      });
    }
    if (config.siem && config.siem.maxOutageHours > config.retention.streamHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['siem', 'maxOutageHours'],
        input: config.siem.maxOutageHours,
        message: `is longer than retention.streamHours (${config.retention.streamHours}): the stream would drop records the SIEM has not read; raise retention.streamHours or replay after longer outages`,
      });
    }
    const destination = config.siem?.destination;
    if (destination?.type === 'opensearch') {
      const domainRegion = destination.domainArn.split(':')[3] ?? '';
      config.governedRegions.forEach((r, i) => {
        if (KNOWN_REGIONS.has(domainRegion) && r !== domainRegion)
          ctx.addIssue({
            code: 'custom',
            path: ['governedRegions', i],
            input: r,
            message: `cannot deliver to the OpenSearch domain in ${domainRegion}: Firehose writes to a domain in its own region; use siem.destination.type "http" for more regions`,
          });
      });
    }
    for (const category of Object.keys(config.siem?.filters ?? {})) {
      if (!config.siem!.categories.includes(category as LogCategory))
        ctx.addIssue({ code: 'custom', path: ['siem', 'filters', category], input: category, message: 'filters a category siem.categories leaves out' });
    }
    const seen = new Set<string>();
    config.governedRegions.forEach((r, i) => {
      if (seen.has(r)) ctx.addIssue({ code: 'custom', path: ['governedRegions', i], input: r, message: 'is listed twice' });
      seen.add(r);
    });
  });

export type TributaryConfig = z.output<typeof configSchema>;

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), 'config');
}

/** Validates an already-parsed object; throws InvalidConfigError naming every bad field and value. */
export function parseConfig(raw: unknown): TributaryConfig {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${describePath([...issue.path, key])}: is not a known field`);
      if (issue.input === undefined) return `${describePath(issue.path)}: is required and missing`;
      // A union's discriminator is reported with the whole object as its input: show the field's own value.
      const key = issue.path.at(-1);
      const own = typeof key === 'string' && typeof issue.input === 'object' && issue.input !== null && key in issue.input;
      return `${describePath(issue.path)}: ${JSON.stringify(own ? (issue.input as Record<string, unknown>)[key] : issue.input)} ${issue.message}`;
    }),
  );
}

export function loadConfig(path: string): TributaryConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InvalidConfigError([`cannot read config file ${path}: ${(cause as Error).message}`]);
  }
  try {
    return parseConfig(JSON.parse(text));
  } catch (cause) {
    if (cause instanceof InvalidConfigError) throw cause;
    throw new InvalidConfigError([`${path} is not valid JSON: ${(cause as Error).message}`]);
  }
}

/** The committed example; the offline default (simulator, tests, `npm start`) runs on it. */
export const EXAMPLE_CONFIG_PATH = join(__dirname, '..', '..', 'infra', 'config', 'tributary.example.json');

/** Environment variable naming the config file, read by the CDK app and the offline commands. */
export const CONFIG_FILE_VARIABLE = 'TRIBUTARY_CONFIG_FILE';
