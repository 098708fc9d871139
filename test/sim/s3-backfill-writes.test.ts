/**
 * The simulated archive bucket decides the backfill writer's calls with the bucket policy and the
 * task role's statements together: only new `backfill-` objects under `logs/`, only with
 * If-None-Match, and a key that exists answers 412 PreconditionFailed.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createOfflineEnvironment } from '../../sim/environment';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { archiveBucketName } from '../../tasks/lib/resource-names';
import { lambdaInvocation } from '../../workflows/local/lambda-invocation';

const KEY = 'logs/region=us-east-1/account=100000000001/category=application/2026/01/01/00/backfill-0123456789abcdef-1.gz';

function world() {
  const env = createOfflineEnvironment({
    config: { ...loadConfig(EXAMPLE_CONFIG_PATH), backfill: { days: 7, categories: ['application'], maxBytesPerAccount: 50e9 } },
  });
  const s3 = env.contextFor('BackfillLogGroups').clients.s3();
  const Bucket = archiveBucketName(env.config.accounts.logging, env.config.homeRegion);
  const asBackfill = <T>(call: () => Promise<T>) => env.clock.run(() => lambdaInvocation.run({ terminated: false, task: 'BackfillLogGroups' }, call));
  const asOtherTask = <T>(call: () => Promise<T>) => env.clock.run(() => lambdaInvocation.run({ terminated: false, task: 'SubscribeLogGroup' }, call));
  return { env, s3, Bucket, asBackfill, asOtherTask };
}

describe('the archive bucket, for the backfill writer', () => {
  it('creates a backfill object with If-None-Match once, answers 412 the second time, and HeadObject finds it', async () => {
    const { s3, Bucket, asBackfill } = world();
    await asBackfill(() => s3.send(new PutObjectCommand({ Bucket, Key: KEY, Body: Buffer.from('x'), IfNoneMatch: '*' })));
    await expect(asBackfill(() => s3.send(new PutObjectCommand({ Bucket, Key: KEY, Body: Buffer.from('y'), IfNoneMatch: '*' })))).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    await expect(asBackfill(() => s3.send(new HeadObjectCommand({ Bucket, Key: KEY })))).resolves.toMatchObject({ ContentLength: 1 });
    await expect(asBackfill(() => s3.send(new HeadObjectCommand({ Bucket, Key: KEY.replace('-1.gz', '-2.gz') })))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it.each([
    ['without If-None-Match', { Key: KEY }],
    ['outside backfill- objects', { Key: KEY.replace('/backfill-', '/tributary-central-logging-'), IfNoneMatch: '*' }],
    ['under digests/', { Key: 'digests/chain=us-east-1/2026/01/01/00.json', IfNoneMatch: '*' }],
  ])('refuses a write %s', async (_what, request) => {
    const { s3, Bucket, asBackfill } = world();
    await expect(asBackfill(() => s3.send(new PutObjectCommand({ Bucket, Body: Buffer.from('x'), ...request })))).rejects.toThrow(
      /not authorized to perform: s3:PutObject/,
    );
  });

  it("refuses another task's role, whatever it asks", async () => {
    const { s3, Bucket, asOtherTask } = world();
    await expect(asOtherTask(() => s3.send(new PutObjectCommand({ Bucket, Key: KEY, Body: Buffer.from('x'), IfNoneMatch: '*' })))).rejects.toThrow(
      /tributary-task-SubscribeLogGroup.* is not authorized to perform: s3:PutObject/,
    );
  });
});
