/**
 * `tributary verify`: checks the archive against its signed digests (tasks/lib/archive/verify.ts),
 * read-only. Exit 0 only when every digest's signature, the chain, and every object hold, and no
 * object lacks a digest; 1 with each problem listed otherwise.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { archiveBucketName } from '../infra/names';
import { simulatedArchive } from '../sim/archive';
import { DIGEST_KEY_ALIAS, kmsPublicKey, S3ArchiveStore } from '../tasks/lib/archive/aws';
import { chainOf } from '../tasks/lib/archive/digest';
import type { ArchiveStore, DigestVerifierKey } from '../tasks/lib/archive/ports';
import { verifyDepartureManifests } from '../tasks/lib/archive/departure';
import { verifyArchive, type VerifyOptions } from '../tasks/lib/archive/verify';
import { configPath, readConfig } from './config-file';
import { formatTable } from './table';
import { reportProblems } from './problems';

export interface VerifyFlags {
  readonly from?: string;
  readonly to?: string;
  readonly prefix?: string;
  readonly offline?: boolean;
  readonly config?: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly profile?: string;
  readonly region?: string;
}

function time(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?Z?)?$/.test(value) ? Date.parse(value.endsWith('Z') || value.length === 10 ? value : `${value}Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${flag}: "${value}" is not a UTC time (2026-11-30 or 2026-11-30T14:00Z)`);
  return ms;
}

export async function verifyCommand(flags: VerifyFlags): Promise<number> {
  let store: ArchiveStore;
  let key: DigestVerifierKey;
  let options: VerifyOptions;
  let where: string;
  try {
    const chain = flags.prefix === undefined ? undefined : chainOf(flags.prefix.endsWith('/') ? flags.prefix : `${flags.prefix}/`);
    if (flags.prefix !== undefined && !chain) throw new Error(`--prefix: "${flags.prefix}" is not an archive prefix (logs/region=<region>/ or errors/)`);
    const from = time('--from', flags.from);
    const to = time('--to', flags.to);
    options = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(chain ? { chain } : {}) };
    if (flags.offline) {
      const config = readConfig(configPath(flags.config));
      ({ store, key } = await simulatedArchive({ regions: config.governedRegions, hours: 24, objectsPerHour: 5 }));
      where = 'offline: a simulated day of the archive, signed with a local P-256 key';
    } else {
      const config = flags.bucket ? undefined : readConfig(configPath(flags.config));
      const bucket = flags.bucket ?? archiveBucketName(config!.accounts.logging, config!.homeRegion);
      const region = flags.region ?? process.env.AWS_REGION ?? config?.homeRegion;
      const credentials = flags.profile ? { credentials: fromIni({ profile: flags.profile }) } : {};
      store = new S3ArchiveStore(new S3Client({ ...(region ? { region } : {}), ...credentials }), bucket);
      key = await kmsPublicKey(new KMSClient({ ...(region ? { region } : {}), ...credentials }), flags.key ?? DIGEST_KEY_ALIAS);
      where = `s3://${bucket}, key ${flags.key ?? DIGEST_KEY_ALIAS}`;
    }
  } catch (error) {
    return reportProblems('verify', error);
  }
  const report = await verifyArchive(store, key, options);
  const departures = await verifyDepartureManifests(store, key);
  console.log(`Verified ${report.digests} digests, ${report.objects} objects and ${departures.manifests} departure manifests (${where}).`);
  const problems = [...report.problems.map((p) => [p.kind, p.key, 'digest' in p ? `listed in ${p.digest}` : 'detail' in p ? p.detail : '']), ...departures.problems.map((p) => [p.kind, p.key, p.detail])];
  if (problems.length === 0) {
    console.log('Every signature, the chain and every object hold; no object lacks a digest; every departed account\'s history is as it was.');
    return 0;
  }
  console.log(formatTable(['problem', 'key', 'detail'], problems));
  console.log(`${problems.length} problem(s).`);
  return 1;
}
