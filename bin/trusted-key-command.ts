/**
 * `tributary trusted-key`: the digest signing key's ARN and fingerprint, from KMS GetPublicKey,
 * to record right after the first deploy (outside the logging account's reach) and pin in the
 * config, so that `verify` trusts that key and no other.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { fromIni } from '@aws-sdk/credential-providers';
import { DIGEST_KEY_ALIAS, kmsKeyIdentity } from '../tasks/lib/archive/aws';
import type { DigestKeyIdentity } from '../tasks/lib/archive/digest';
import { reportProblems } from './problems';

export interface TrustedKeyFlags {
  readonly key?: string;
  readonly profile?: string;
  readonly region?: string;
}

/** What the operator records and pins. */
export function trustedKeyText(identity: DigestKeyIdentity): string {
  return [
    `Digest signing key ${identity.keyArn}`,
    `Fingerprint (SHA-256 of its public key) ${identity.fingerprint}`,
    'Record both where the logging account cannot change them, and pin them in the config:',
    `  "archive": { ..., "trustedDigestKey": { "keyArn": "${identity.keyArn}", "fingerprint": "${identity.fingerprint}" } }`,
  ].join('\n');
}

export async function trustedKeyCommand(flags: TrustedKeyFlags): Promise<number> {
  const region = flags.region ?? process.env.AWS_REGION;
  let identity: DigestKeyIdentity;
  try {
    identity = await kmsKeyIdentity(
      new KMSClient({ ...(region ? { region } : {}), ...(flags.profile ? { credentials: fromIni({ profile: flags.profile }) } : {}) }),
      flags.key ?? DIGEST_KEY_ALIAS,
    );
  } catch (error) {
    return reportProblems('trusted-key', new Error(`--key ${flags.key ?? DIGEST_KEY_ALIAS}: ${(error as Error).message}`, { cause: error }));
  }
  console.log(trustedKeyText(identity));
  return 0;
}
