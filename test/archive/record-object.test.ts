/**
 * The recorder takes the object key from S3's EventBridge event. S3 URL-encodes keys in its event
 * notifications (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html:
 * "The s3 key provides information about the bucket and object involved in the event. The object
 * key name value is URL encoded"); whether its EventBridge events do is not documented, so the
 * recorder accepts both forms of our keys (which contain `=`).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'crypto';
import { Readable } from 'stream';
import { MemoryObjectRecords } from '../../sim/archive';
import { recordArchiveObject } from '../../tasks/record-archive-object';

const KEY = 'logs/region=us-east-1/account=123456789012/category=cloudtrail/2026/12/01/00/tributary-central-logging-1-2026-12-01-00-00-00-abc.gz';
const BYTES = Buffer.from('object bytes');

/** An S3 that has exactly one object, under its real key. */
function s3WithObject(): { s3: S3Client; asked: string[] } {
  const asked: string[] = [];
  const s3 = {
    send: async (command: GetObjectCommand) => {
      asked.push(command.input.Key!);
      if (command.input.Key !== KEY) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: Readable.from([BYTES]) };
    },
  } as unknown as S3Client;
  return { s3, asked };
}

const event = (key: string) => ({
  time: '2026-12-01T00:05:00Z',
  detail: { bucket: { name: 'archive' }, object: { key, size: BYTES.length, 'version-id': 'v1' } },
});

describe('recordArchiveObject', () => {
  it.each([
    ['as stored', KEY],
    ['URL-encoded, as S3 notifications give keys', KEY.replaceAll('=', '%3D')],
  ])('records the object under its real key when the event names it %s', async (_how, eventKey) => {
    // Prepare
    const { s3, asked } = s3WithObject();
    const records = new MemoryObjectRecords();

    // Act
    const result = await recordArchiveObject(event(eventKey), { s3, records });

    // Assess
    expect(result).toEqual({ chain: 'us-east-1', key: KEY });
    expect(asked).toEqual([KEY]);
    expect(await records.recorded('us-east-1', 0, Date.parse('2026-12-02T00:00:00Z'))).toEqual([
      { key: KEY, size: BYTES.length, sha256: createHash('sha256').update(BYTES).digest('hex'), versionId: 'v1' },
    ]);
  });
});
