/**
 * Writes the archive's hourly digests (scheduled, a few minutes past each hour): one chain per
 * governed region, `errors` and `departures`. During a key rotation the previous key's ARN is in
 * TRIBUTARY_PREVIOUS_DIGEST_KEY: it signs each chain's rotation digest, once.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoChainHeads, DynamoObjectRecords, KmsDigestSigner, S3ArchiveStore } from './lib/archive/aws';
import { expectedChains, HOUR_MS } from './lib/archive/digest';
import { writeDigests, type DigestWriterPorts } from './lib/archive/write-digests';
import { parseRegion, type Region } from './lib/domain';
import { InvalidInputError } from './lib/errors';

export const DIGEST_ENVIRONMENT = {
  bucket: 'TRIBUTARY_ARCHIVE_BUCKET',
  keyId: 'TRIBUTARY_DIGEST_KEY',
  previousKeyId: 'TRIBUTARY_PREVIOUS_DIGEST_KEY',
  regions: 'TRIBUTARY_GOVERNED_REGIONS',
} as const;

/** What the digest writer's functions are told (infra/constructs/archive-digests.ts), validated. */
export function digestSettings(env: NodeJS.ProcessEnv): {
  readonly bucket: string;
  readonly keyId: string;
  readonly previousKeyId?: string;
  readonly regions: Region[];
} {
  const bucket = env[DIGEST_ENVIRONMENT.bucket];
  const keyId = env[DIGEST_ENVIRONMENT.keyId];
  if (!bucket || !keyId)
    throw new InvalidInputError(DIGEST_ENVIRONMENT.bucket, bucket, `and ${DIGEST_ENVIRONMENT.keyId} must name the archive bucket and the signing key`);
  const previousKeyId = env[DIGEST_ENVIRONMENT.previousKeyId];
  return {
    bucket,
    keyId,
    ...(previousKeyId ? { previousKeyId } : {}),
    regions: (env[DIGEST_ENVIRONMENT.regions] ?? '').split(',').map((r) => parseRegion(r, DIGEST_ENVIRONMENT.regions)),
  };
}

export async function writeArchiveDigests(
  ports: DigestWriterPorts,
  chains: readonly string[],
  now: number,
  firstHour: number,
): Promise<Record<string, string[]>> {
  const written: Record<string, string[]> = {};
  for (const chain of chains) written[chain] = await writeDigests(ports, chain, now, firstHour);
  return written;
}

let setup: { ports: DigestWriterPorts; chains: string[] } | undefined;

export async function handler(): Promise<Record<string, string[]>> {
  if (!setup) {
    const { bucket, keyId, previousKeyId, regions } = digestSettings(process.env);
    const kms = new KMSClient({});
    const dynamo = new DynamoDBClient({});
    setup = {
      ports: {
        store: new S3ArchiveStore(new S3Client({}), bucket),
        records: new DynamoObjectRecords(dynamo),
        heads: new DynamoChainHeads(dynamo),
        signer: new KmsDigestSigner(kms, keyId),
        ...(previousKeyId ? { previousSigner: new KmsDigestSigner(kms, previousKeyId) } : {}),
      },
      chains: expectedChains(regions),
    };
  }
  // A chain without a digest yet starts with the last whole hour; afterwards its head says where.
  const now = Date.now();
  return writeArchiveDigests(setup.ports, setup.chains, now, now - HOUR_MS);
}
