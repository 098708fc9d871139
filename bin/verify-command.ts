/**
 * `tributary verify`: checks the archive against what must exist (tasks/lib/archive/verify.ts),
 * read-only, trusting only the pinned digest key. Exit 0 only when every chain is whole up to now
 * less the delivery lag and every object holds; 1 with each problem listed; 2 for bad input.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { archiveBucketName } from '../tasks/lib/resource-names';
import { simulatedArchive } from '../sim/archive';
import { S3ArchiveStore } from '../tasks/lib/archive/aws';
import { chainOf, expectedChains } from '../tasks/lib/archive/digest';
import type { ArchiveStore } from '../tasks/lib/archive/ports';
import { PROBLEM_KINDS, verifyArchive, type VerifyOptions, type VerifyReport } from '../tasks/lib/archive/verify';
import { logGroupCoverage, type LogGroupCoverage } from '../tasks/lib/archive/log-group-coverage';
import { configPath, readConfig } from './config-file';
import { formatTable } from './table';
import { reportProblems } from './problems';
import { LiveProgress } from './progress';

export interface VerifyFlags {
  readonly from?: string;
  readonly to?: string;
  readonly prefix?: string;
  readonly trustedKey?: string;
  readonly json?: boolean;
  readonly offline?: boolean;
  readonly config?: string;
  readonly bucket?: string;
  readonly profile?: string;
  readonly region?: string;
  /** Also report, per log group, its earliest proven event and whether its backfill reached the horizon. */
  readonly logGroups?: boolean;
}

/** A UTC time flag in ms, or undefined when absent; a bad value throws naming the flag. */
export function time(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?Z?)?$/.test(value)
    ? Date.parse(value.endsWith('Z') || value.length === 10 ? value : `${value}Z`)
    : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${flag}: "${value}" is not a UTC time (2026-11-30 or 2026-11-30T14:00Z)`);
  return ms;
}

function fingerprint(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[0-9a-f]{64}$/.test(value))
    throw new Error(`--trusted-key: "${value}" is not a key fingerprint (64 lowercase hex digits; \`tributary trusted-key\` prints it)`);
  return value;
}

const NO_TRUSTED_KEY =
  '--trusted-key: required: the fingerprint of the digest key you trust, from your records of the deploy (`tributary trusted-key` prints it), or archive.trustedDigestKey in the config';

/** Per chain: what was proven, and the problems by kind. */
function summaryTable(report: VerifyReport): string {
  const rows = report.chains.map((c) => [
    c.chain,
    c.genesis ?? '-',
    String(c.hours),
    c.firstHour ?? '-',
    c.lastHour ?? '-',
    String(c.objects),
    String(c.bytes),
    PROBLEM_KINDS.filter((k) => c.problems[k])
      .map((k) => `${k} ${c.problems[k]}`)
      .join(', ') || 'none',
  ]);
  return formatTable(['chain', 'genesis', 'hours', 'first hour', 'last hour', 'objects', 'bytes', 'problems'], rows);
}

const isoOrDash = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** Per log group: its earliest proven event, what the backfill wrote, and whether it reached its horizon. */
function coverageTable(coverage: readonly LogGroupCoverage[]): string {
  return formatTable(
    ['region', 'account', 'log group', 'events', 'earliest event', 'backfilled', 'backfilled from', 'backfill'],
    coverage.map((g) => [
      g.region,
      g.account,
      g.logGroup ?? `(backfill-${g.groupHash}, no event)`,
      String(g.events),
      isoOrDash(g.earliestEvent),
      String(g.backfilledEvents),
      isoOrDash(g.earliestBackfilled),
      g.backfillComplete ? 'reached its horizon' : g.backfilledEvents > 0 ? 'not finished' : '-',
    ]),
  );
}

export async function verifyCommand(flags: VerifyFlags): Promise<number> {
  let store: ArchiveStore;
  let options: VerifyOptions;
  let where: string;
  try {
    const chain = flags.prefix === undefined ? undefined : chainOf(flags.prefix.endsWith('/') ? flags.prefix : `${flags.prefix}/`);
    if (flags.prefix !== undefined && !chain)
      throw new Error(`--prefix: "${flags.prefix}" is not an archive prefix (logs/region=<region>/, errors/ or digests/departures/)`);
    const from = time('--from', flags.from);
    const to = time('--to', flags.to);
    const pinned = fingerprint(flags.trustedKey);
    const config = flags.bucket && pinned ? undefined : readConfig(configPath(flags.config));
    const window = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(chain ? { chain } : {}) };
    if (flags.offline) {
      const archive = await simulatedArchive({ regions: config!.governedRegions, hours: 24, objectsPerHour: 5 });
      ({ store } = archive);
      options = { trustedKey: pinned ?? archive.key.fingerprint, chains: archive.chains, now: archive.now, ...window };
      where = `offline: a simulated day of the archive, signed with a local P-256 key (${archive.key.fingerprint})`;
    } else {
      const trustedKey = pinned ?? config?.archive.trustedDigestKey?.fingerprint;
      if (!trustedKey) throw new Error(NO_TRUSTED_KEY);
      const bucket = flags.bucket ?? archiveBucketName(config!.accounts.logging, config!.homeRegion);
      const region = flags.region ?? process.env.AWS_REGION ?? config?.homeRegion;
      const credentials = flags.profile ? { credentials: fromIni({ profile: flags.profile }) } : {};
      store = new S3ArchiveStore(new S3Client({ ...(region ? { region } : {}), ...credentials }), bucket);
      options = { trustedKey, chains: config ? expectedChains(config.governedRegions) : [], now: Date.now(), ...window };
      where = `s3://${bucket}, trusting key ${trustedKey}`;
    }
  } catch (error) {
    return reportProblems('verify', error);
  }
  const live = new LiveProgress(flags.json ? { enabled: false } : {});
  const report = await verifyArchive(store, {
    ...options,
    ...(flags.logGroups ? { listProven: true } : {}),
    onChain: (started, total, chain) => live.update(`verifying chain ${chain}`, started, total, 'chains'),
  });
  live.end();
  const coverage = flags.logGroups ? await logGroupCoverage(store, report.proven ?? []) : undefined;
  if (flags.json) {
    const { proven: _proven, ...rest } = report;
    console.log(
      JSON.stringify(
        { trustedKey: options.trustedKey, now: new Date(options.now).toISOString(), ...rest, ...(coverage ? { logGroups: coverage } : {}) },
        null,
        2,
      ),
    );
    return report.problems.length === 0 ? 0 : 1;
  }
  console.log(
    `Verified ${report.digests} digests and ${report.objects} objects (${where}), up to ${new Date(options.now).toISOString()} less the delivery lag.`,
  );
  console.log(summaryTable(report));
  if (coverage) console.log(coverageTable(coverage));
  if (report.problems.length === 0) {
    console.log(
      "Every chain is whole from its genesis, signed by the trusted key; every object holds; no object lacks a digest; every departed account's history is as it was.",
    );
    return 0;
  }
  console.log(
    formatTable(
      ['problem', 'chain', 'key', 'detail'],
      report.problems.map((p) => [p.kind, p.chain, p.key, p.detail]),
    ),
  );
  console.log(`${report.problems.length} problem(s).`);
  return 1;
}
