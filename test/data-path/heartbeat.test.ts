/** The heartbeat checker: what it lists, the age it publishes per region, and that silence breaches. */
import { S3Client, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { checkHeartbeat } from '../../tasks/check-heartbeat';
import { heartbeatAgeSeconds, heartbeatPrefixes } from '../../tasks/lib/data-path/heartbeat';
import type { AccountId, Region } from '../../tasks/lib/domain';

const NOW = new Date(Date.UTC(2026, 10, 30, 14, 5, 0));
const LOGGING = '222222222222' as AccountId;

/** An S3 client whose ListObjectsV2 answers from a key -> LastModified map, a page of two at a time. */
function fakeS3(objects: Record<string, Date>) {
  const listed: string[] = [];
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  client.middlewareStack.add(
    () => async (args: any) => {
      const input = args.input as ListObjectsV2CommandInput;
      listed.push(input.Prefix!);
      const keys = Object.keys(objects)
        .filter((k) => k.startsWith(input.Prefix!))
        .sort();
      const start = Number(input.ContinuationToken ?? 0);
      const page = keys.slice(start, start + 2);
      return {
        output: {
          $metadata: {},
          Contents: page.map((Key) => ({ Key, LastModified: objects[Key] })),
          NextContinuationToken: start + 2 < keys.length ? String(start + 2) : undefined,
        },
        response: {},
      } as any;
    },
    { step: 'initialize', name: 'fakeS3' },
  );
  return { client, listed };
}

describe('heartbeat', () => {
  it('lists the current and previous arrival hour of the logging account, under category=heartbeat when the layout has categories', () => {
    expect(heartbeatPrefixes('eu-west-1', LOGGING, 'account-category', NOW)).toEqual([
      'logs/region=eu-west-1/account=222222222222/category=heartbeat/2026/11/30/14/',
      'logs/region=eu-west-1/account=222222222222/category=heartbeat/2026/11/30/13/',
    ]);
    expect(heartbeatPrefixes('eu-west-1', LOGGING, 'account', new Date(Date.UTC(2027, 0, 1, 0, 10)))).toEqual([
      'logs/region=eu-west-1/account=222222222222/2027/01/01/00/',
      'logs/region=eu-west-1/account=222222222222/2026/12/31/23/',
    ]);
  });

  it('with nothing in two hours, the age is at least the time since the previous hour began', () => {
    expect(heartbeatAgeSeconds(undefined, NOW)).toBe(3900);
  });

  it('publishes each region’s heartbeat age as an embedded metric; a silent region reports its lower bound', async () => {
    // Prepare
    const base = 'logs/region=eu-west-1/account=222222222222/category=heartbeat/2026/11/30/14/';
    const { client } = fakeS3({
      [`${base}a.gz`]: new Date(NOW.getTime() - 300_000),
      [`${base}b.gz`]: new Date(NOW.getTime() - 90_000),
      [`${base}c.gz`]: new Date(NOW.getTime() - 200_000),
    });
    const lines: string[] = [];

    // Act
    const ages = await checkHeartbeat({
      s3: client,
      bucket: 'archive',
      regions: ['eu-west-1', 'us-east-1'] as Region[],
      loggingAccount: LOGGING,
      partitioning: 'account-category',
      now: () => NOW,
      write: (l) => lines.push(l),
    });

    // Assess
    expect(ages).toEqual([
      { region: 'eu-west-1', ageSeconds: 90 },
      { region: 'us-east-1', ageSeconds: 3900 },
    ]);
    const metrics = lines.map((l) => JSON.parse(l));
    expect(metrics[0]).toMatchObject({
      Region: 'eu-west-1',
      HeartbeatAgeSeconds: 90,
      _aws: { CloudWatchMetrics: [{ Namespace: 'Tributary/DataPath', Dimensions: [['Region']] }] },
    });
    expect(metrics[1]).toMatchObject({ Region: 'us-east-1', HeartbeatAgeSeconds: 3900 });
  });
});
