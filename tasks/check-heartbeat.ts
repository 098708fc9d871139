/**
 * The heartbeat checker (home region, logging account, every 5 minutes): for each governed region,
 * the age of the newest heartbeat object in the archive, published as an embedded metric. The
 * alarm on it treats missing data as breaching, so a checker that stops is an alarm too.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseArchivePartitioning, type ArchivePartitioning } from './lib/data-path/archive-layout';
import { HEARTBEAT_METRIC, heartbeatAgeSeconds, heartbeatPrefixes } from './lib/data-path/heartbeat';
import { parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { InvalidInputError } from './lib/errors';

export interface HeartbeatCheckDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly regions: readonly Region[];
  readonly loggingAccount: AccountId;
  readonly partitioning: ArchivePartitioning;
  readonly now: () => Date;
  /** Writes one line to the function's log (where CloudWatch reads embedded metrics). */
  readonly write: (line: string) => void;
}

async function newestObject(s3: S3Client, bucket: string, prefix: string): Promise<Date | undefined> {
  let newest: Date | undefined;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.LastModified && (!newest || object.LastModified > newest)) newest = object.LastModified;
    token = page.NextContinuationToken;
  } while (token);
  return newest;
}

export async function checkHeartbeat(deps: HeartbeatCheckDeps): Promise<Array<{ region: Region; ageSeconds: number }>> {
  const now = deps.now();
  const ages: Array<{ region: Region; ageSeconds: number }> = [];
  for (const region of deps.regions) {
    let newest: Date | undefined;
    for (const prefix of heartbeatPrefixes(region, deps.loggingAccount, deps.partitioning, now)) {
      newest = (await newestObject(deps.s3, deps.bucket, prefix)) ?? newest;
      if (newest) break;
    }
    const ageSeconds = heartbeatAgeSeconds(newest, now);
    ages.push({ region, ageSeconds });
    deps.write(
      JSON.stringify({
        _aws: {
          Timestamp: now.getTime(),
          CloudWatchMetrics: [{ Namespace: HEARTBEAT_METRIC.namespace, Dimensions: [['Region']], Metrics: [{ Name: HEARTBEAT_METRIC.name, Unit: 'Seconds' }] }],
        },
        Region: region,
        [HEARTBEAT_METRIC.name]: ageSeconds,
      }),
    );
  }
  return ages;
}

/** Environment of the checker, set by the archive stack. */
export const HEARTBEAT_ENVIRONMENT = {
  bucket: 'TRIBUTARY_ARCHIVE_BUCKET',
  regions: 'TRIBUTARY_GOVERNED_REGIONS',
  loggingAccount: 'TRIBUTARY_LOGGING_ACCOUNT',
  partitioning: 'TRIBUTARY_ARCHIVE_PARTITIONING',
} as const;

function depsFromEnvironment(env: NodeJS.ProcessEnv): HeartbeatCheckDeps {
  const bucket = env[HEARTBEAT_ENVIRONMENT.bucket];
  if (!bucket) throw new InvalidInputError(HEARTBEAT_ENVIRONMENT.bucket, bucket, 'must name the archive bucket');
  return {
    s3: new S3Client({}),
    bucket,
    regions: (env[HEARTBEAT_ENVIRONMENT.regions] ?? '').split(',').map((r) => parseRegion(r, HEARTBEAT_ENVIRONMENT.regions)),
    loggingAccount: parseAccountId(env[HEARTBEAT_ENVIRONMENT.loggingAccount], HEARTBEAT_ENVIRONMENT.loggingAccount),
    partitioning: parseArchivePartitioning(env[HEARTBEAT_ENVIRONMENT.partitioning], HEARTBEAT_ENVIRONMENT.partitioning),
    now: () => new Date(),
    write: (line) => console.log(line),
  };
}

let deps: HeartbeatCheckDeps | undefined;

export async function handler(): Promise<Array<{ region: Region; ageSeconds: number }>> {
  deps ??= depsFromEnvironment(process.env);
  return checkHeartbeat(deps);
}
