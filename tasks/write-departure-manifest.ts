/**
 * When an account leaves (AccountDepartedOrganization or CloseAccount, forwarded from the hub bus
 * to the logging account), writes its signed departure manifest (tasks/lib/archive/departure.ts).
 * Runs with the digest writer's role: the only one that may sign, and write under digests/.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { KmsDigestSigner, S3ArchiveStore } from './lib/archive/aws';
import { writeDepartureManifest } from './lib/archive/departure';
import type { ArchiveStore, DigestSigner } from './lib/archive/ports';
import { parseAccountId } from './lib/domain';
import { InvalidInputError } from './lib/errors';
import { digestSettings } from './write-archive-digests';

/**
 * The departures the rule in infra/constructs/archive-digests.ts delivers (workflows/forwarding.ts
 * `departurePattern`, offboard-account's triggers): a successful CloseAccount call, or
 * Organizations' AccountDepartedOrganization service event. A test holds the two to the same events.
 */
function isDeparture(event: unknown): boolean {
  const e = event as { source?: unknown; 'detail-type'?: unknown; detail?: { eventName?: unknown; errorCode?: unknown } } | null;
  if (e?.source !== 'aws.organizations' || typeof e.detail !== 'object' || e.detail === null) return false;
  if (e['detail-type'] === 'AWS API Call via CloudTrail') return e.detail.eventName === 'CloseAccount' && e.detail.errorCode === undefined;
  return e['detail-type'] === 'AWS Service Event via CloudTrail' && e.detail.eventName === 'AccountDepartedOrganization';
}

/**
 * The departed account, read at CloseAccount's `requestParameters.accountId`, or at the departure's
 * `serviceEventDetails.accountId`, which Organizations does not document (the hub's offboarding
 * does not rely on it; a departure without it gets no manifest, and says so).
 */
export function departedAccount(event: unknown): string {
  if (!isDeparture(event))
    throw new InvalidInputError(
      'event',
      (event as { 'detail-type'?: unknown })?.['detail-type'],
      'is not an account departure (AccountDepartedOrganization or CloseAccount)',
    );
  const detail = (event as { detail?: { requestParameters?: { accountId?: unknown }; serviceEventDetails?: { accountId?: unknown } } }).detail;
  return parseAccountId(detail?.requestParameters?.accountId ?? detail?.serviceEventDetails?.accountId, 'detail.serviceEventDetails.accountId');
}

export async function departureManifest(
  event: unknown,
  ports: { store: ArchiveStore; signer: DigestSigner; regions: readonly string[]; now: () => number },
): Promise<string> {
  const account = departedAccount(event);
  const time = Date.parse(String((event as { time?: unknown }).time ?? ''));
  return writeDepartureManifest(ports, account, ports.regions, Number.isNaN(time) ? ports.now() : time, ports.now());
}

let ports: { store: ArchiveStore; signer: DigestSigner; regions: readonly string[]; now: () => number } | undefined;

export async function handler(event: unknown): Promise<string> {
  if (!ports) {
    const { bucket, keyId, regions } = digestSettings(process.env);
    ports = {
      store: new S3ArchiveStore(new S3Client({}), bucket),
      signer: new KmsDigestSigner(new KMSClient({}), keyId),
      regions,
      now: () => Date.now(),
    };
  }
  return departureManifest(event, ports);
}
