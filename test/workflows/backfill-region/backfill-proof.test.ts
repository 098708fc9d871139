/**
 * The backfill, proven: its objects, recorded and digested hour by hour as every delivered object
 * is, pass `verify`, which then reports per log group its earliest archived event and that the
 * backfill reached its horizon; a group whose completion object is missing is reported unfinished.
 */
import { HOUR_MS, chainOf, expectedChains, sha256Hex } from '../../../tasks/lib/archive/digest';
import { logGroupCoverage } from '../../../tasks/lib/archive/log-group-coverage';
import { verifyArchive } from '../../../tasks/lib/archive/verify';
import { writeDigests } from '../../../tasks/lib/archive/write-digests';
import { LocalSigningKey, MemoryArchiveStore, MemoryChainHeads, MemoryObjectRecords } from '../../../sim/archive';
import { archiveBucketName } from '../../../tasks/lib/resource-names';
import { BACKFILL, DAY, onboard, world, type World } from './world';

/** The bucket's objects as the archive holds them: each recorded when written, then every hour digested ten minutes past it. */
async function digested(w: World, skip: (key: string) => boolean = () => false) {
  const bucket = w.env.state.buckets.get(archiveBucketName(w.env.config.accounts.logging, w.env.config.homeRegion))!;
  const store = new MemoryArchiveStore();
  const records = new MemoryObjectRecords();
  const heads = new MemoryChainHeads();
  const key = new LocalSigningKey();
  const chains = expectedChains(w.env.config.governedRegions);
  const written = [...bucket.objects.entries()].filter(([k]) => !skip(k));
  const first = Math.floor(Math.min(...written.map(([, o]) => o.lastModified)) / HOUR_MS) * HOUR_MS;
  const last = Math.max(...written.map(([, o]) => o.lastModified));
  for (const chain of chains) await writeDigests({ store, records, heads, signer: key }, chain, first, first);
  for (const [objectKey, { bytes, lastModified }] of written) {
    const { versionId } = await store.put(objectKey, bytes, {});
    await records.record(chainOf(objectKey)!, lastModified, { key: objectKey, versionId, size: bytes.length, sha256: sha256Hex(bytes) });
  }
  for (let hour = first; hour <= last; hour += HOUR_MS)
    for (const chain of chains) await writeDigests({ store, records, heads, signer: key }, chain, hour + HOUR_MS + 600_000, first);
  const now = Math.floor(last / HOUR_MS) * HOUR_MS + HOUR_MS + 600_000;
  const report = await verifyArchive(store, { trustedKey: key.fingerprint, chains, now, deliveryLagMs: 0, listProven: true });
  return { report, coverage: await logGroupCoverage(store, report.proven ?? []) };
}

describe('backfill-region: the proof', () => {
  it('passes verify, and verify reports each group from its earliest history event on, its backfill at the horizon', async () => {
    // Prepare
    const w = world({ accounts: 1, groups: 2 });
    await onboard(w);

    // Act
    const { report, coverage } = await digested(w);

    // Assess
    expect(report.problems).toEqual([]);
    expect(coverage).toHaveLength(w.groups.length);
    for (const g of coverage) {
      const group = w.env.state.accountRegion(g.account, g.region).logGroups.get(g.logGroup!)!;
      const seam = [...group.filters.values()][0]!.creationTime;
      const history = group.events!.filter((e) => e.ingestionTime < seam && e.timestamp >= seam - BACKFILL.days * DAY);
      expect(g).toMatchObject({
        backfillComplete: true,
        backfilledEvents: history.length,
        earliestBackfilled: Math.min(...history.map((e) => e.timestamp)),
        earliestEvent: Math.min(...history.map((e) => e.timestamp)),
      });
      expect(g.earliestEvent!).toBeGreaterThanOrEqual(seam - BACKFILL.days * DAY);
    }
  });

  it('reports a group whose completion object is missing as not finished', async () => {
    // Prepare: one group's completion object never reached the archive
    const w = world({ accounts: 1, groups: 1 });
    await onboard(w);
    let dropped = '';

    // Act
    const { coverage } = await digested(w, (key) => key.endsWith('-complete.gz') && !dropped && (dropped = key) !== '');

    // Assess
    const unfinished = coverage.filter((g) => !g.backfillComplete);
    expect(unfinished).toHaveLength(1);
    expect(dropped).toContain(`region=${unfinished[0]!.region}/account=${unfinished[0]!.account}/`);
    expect(unfinished[0]!.backfilledEvents).toBeGreaterThan(0);
  });
});
