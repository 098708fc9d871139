/**
 * S3, as far as the backfill uses it: PutObject only if absent (`If-None-Match: *`, answered 412
 * PreconditionFailed when the key exists: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html)
 * and HeadObject (404 NotFound for a missing key). Who may call is decided before (sim/iam-authorizer.ts),
 * with the bucket's policy.
 */
import { NotFound, NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3';
import type { CallContext, OperationHandler } from './context';

const meta = { $metadata: {} };

function bucketOf(ctx: CallContext, name: unknown) {
  const bucket = ctx.state.buckets.get(String(name));
  if (!bucket) throw new NoSuchBucket({ ...meta, message: 'The specified bucket does not exist' });
  return bucket;
}

export const s3: Record<string, OperationHandler> = {
  PutObject: (input, ctx) => {
    const bucket = bucketOf(ctx, input.Bucket);
    const key = String(input.Key);
    if (input.IfNoneMatch !== undefined && input.IfNoneMatch !== '*')
      throw new S3ServiceException({ name: 'NotImplemented', $fault: 'server', $metadata: { httpStatusCode: 501 }, message: 'If-None-Match takes only *' });
    if (input.IfNoneMatch === '*' && bucket.objects.has(key))
      throw new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
        message: 'At least one of the pre-conditions you specified did not hold',
      });
    const body = input.Body as Uint8Array | string | undefined;
    bucket.objects.set(key, { bytes: Buffer.from(body ?? ''), lastModified: ctx.now });
    return { ETag: `"${bucket.objects.size}"` };
  },
  HeadObject: (input, ctx) => {
    const found = bucketOf(ctx, input.Bucket).objects.get(String(input.Key));
    if (!found) throw new NotFound({ ...meta, message: 'Not Found' });
    return { ContentLength: found.bytes.length, LastModified: new Date(found.lastModified) };
  },
};
