/**
 * The archive objects a backfill writes, in the logging account's archive bucket: each only if
 * absent (`If-None-Match: *`, answered 412 PreconditionFailed when the key exists:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), which the
 * bucket's policy requires of the backfill writer (infra/backfill-writer-policy.ts). The bucket
 * encrypts with its own key; Object Created events record the object for its hour's digest, as
 * for every delivered object.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorName, toTaskError } from './aws-errors';
import type { BackfillObjects } from './backfill';

export class S3BackfillObjects implements BackfillObjects {
  public constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  public async createIfAbsent(key: string, bytes: Buffer): Promise<boolean> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, IfNoneMatch: '*' }));
      return true;
    } catch (error) {
      if (errorName(error) === 'PreconditionFailed') return false;
      throw toTaskError(error, `s3:PutObject ${key}`);
    }
  }

  public async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (errorName(error) === 'NotFound') return false;
      throw toTaskError(error, `s3:HeadObject ${key}`);
    }
  }
}
