/**
 * What `verify --log-groups` reports per log group from the proven objects: events and the earliest
 * one, what the backfill wrote and from when, and whether a completion object says it reached its
 * horizon. Objects outside logs/, lines that name no group, and objects no longer stored count for nothing.
 */
import { gzipSync } from 'zlib';
import { MemoryArchiveStore } from '../../sim/archive';
import { backfillGroupHash } from '../../tasks/lib/backfill';
import { logGroupCoverage } from '../../tasks/lib/archive/log-group-coverage';
import type { ProvenObject } from '../../tasks/lib/archive/verify';

const prefix = (region: string, account: string) => `logs/region=${region}/account=${account}/category=application/2026/01/01/00`;
const line = (logGroup: string, timestamp: number, backfilled = false) =>
  `${JSON.stringify({ timestamp, logGroup, logStream: 's', ...(backfilled ? { backfilled: true } : {}), id: String(timestamp), message: 'm' })}\n`;

async function archive(objects: Array<[key: string, body: string]>, missing: string[] = []) {
  const store = new MemoryArchiveStore();
  const proven: ProvenObject[] = [];
  for (const [key, body] of objects) {
    const bytes = gzipSync(body);
    const { versionId } = await store.put(key, bytes, {});
    proven.push({ chain: 'us-east-1', key, versionId, size: bytes.length, sha256: '', hour: 0 });
  }
  for (const key of missing) proven.push({ chain: 'us-east-1', key, size: 0, sha256: '', hour: 0 });
  return { store, proven };
}

describe('logGroupCoverage', () => {
  it('reports each group of the proven objects: events, the earliest, what the backfill wrote, and its completion', async () => {
    // Prepare
    const a = '/aws/lambda/a';
    const east = prefix('us-east-1', '100000000001');
    const { store, proven } = await archive(
      [
        [`${east}/tributary-central-logging-1.gz`, line(a, 500) + line(a, 300) + '{"logGroup":"/aws/lambda/a"}\n{"timestamp":5}\n'],
        [`${east}/backfill-${backfillGroupHash(a)}-1.gz`, line(a, 200, true) + line(a, 100, true)],
        [`${east}/backfill-${backfillGroupHash(a)}-complete.gz`, ''],
        [`${east}/backfill-${backfillGroupHash('/c')}-complete.gz`, ''],
        [`${east}/backfill-NOTAHASH-complete.gz`, ''],
        [`${prefix('eu-west-1', '100000000002')}/tributary-central-logging-2.gz`, line('/b', 7)],
        ['errors/processing-failed/2026/01/01/00/x.gz', line('/e', 1)],
        ['digests/chain=us-east-1/2026/01/01/00.json', line('/d', 1)],
      ],
      [`${east}/tributary-central-logging-gone.gz`],
    );

    // Act
    const coverage = await logGroupCoverage(store, proven);

    // Assess
    expect(coverage).toEqual([
      {
        region: 'eu-west-1',
        account: '100000000002',
        logGroup: '/b',
        groupHash: backfillGroupHash('/b'),
        events: 1,
        earliestEvent: 7,
        backfilledEvents: 0,
        earliestBackfilled: null,
        backfillComplete: false,
      },
      {
        region: 'us-east-1',
        account: '100000000001',
        logGroup: null,
        groupHash: backfillGroupHash('/c'),
        events: 0,
        earliestEvent: null,
        backfilledEvents: 0,
        earliestBackfilled: null,
        backfillComplete: true,
      },
      {
        region: 'us-east-1',
        account: '100000000001',
        logGroup: a,
        groupHash: backfillGroupHash(a),
        events: 4,
        earliestEvent: 100,
        backfilledEvents: 2,
        earliestBackfilled: 100,
        backfillComplete: true,
      },
    ]);
  });

  it('names a group from its lines even when its completion object comes first', async () => {
    const a = '/aws/lambda/a';
    const east = prefix('us-east-1', '100000000001');
    const { store, proven } = await archive([
      [`${east}/backfill-${backfillGroupHash(a)}-complete.gz`, ''],
      [`${east}/backfill-${backfillGroupHash(a)}-1.gz`, line(a, 900, true) + line(a, 50, true) + line(a, 400, true)],
    ]);
    expect(await logGroupCoverage(store, proven)).toEqual([
      expect.objectContaining({ logGroup: a, events: 3, earliestEvent: 50, backfilledEvents: 3, earliestBackfilled: 50, backfillComplete: true }),
    ]);
  });
});
