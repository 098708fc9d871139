/**
 * The archive's key layout on its own: the prefix Firehose is given and the partition keys the
 * processor returns name the same levels, the refusal of a layout that is not one, and the bound
 * on active partitions that the config checks against Firehose's quota.
 */
import {
  activePartitionBound,
  ARCHIVE_ERROR_PREFIX,
  ARCHIVE_PARTITIONINGS,
  archivePrefix,
  DEFAULT_ACTIVE_PARTITION_QUOTA,
  MAX_ACTIVE_PARTITION_QUOTA,
  parseArchivePartitioning,
  partitionKeys,
} from '../../tasks/lib/data-path/archive-layout';

describe('archive layout', () => {
  it.each([
    [
      'account-category',
      'logs/region=eu-west-1/account=!{partitionKeyFromLambda:account}/category=!{partitionKeyFromLambda:category}/!{timestamp:yyyy/MM/dd/HH}/',
    ],
    ['account', 'logs/region=eu-west-1/account=!{partitionKeyFromLambda:account}/!{timestamp:yyyy/MM/dd/HH}/'],
  ] as const)('%s: the prefix uses exactly the partition keys the processor returns, and the arrival hour', (partitioning, prefix) => {
    expect(archivePrefix('eu-west-1', partitioning)).toBe(prefix);
    const named = [...prefix.matchAll(/partitionKeyFromLambda:(\w+)/g)].map((m) => m[1]);
    expect(Object.keys(partitionKeys(partitioning, '100000000001', 'audit'))).toEqual(named);
    expect(Object.values(partitionKeys(partitioning, '100000000001', 'audit'))).toEqual(['100000000001', 'audit'].slice(0, named.length));
  });

  it('files failed records by error type and arrival hour', () => {
    expect(ARCHIVE_ERROR_PREFIX).toBe('errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/');
  });

  it('reads a layout, and refuses any other value naming the field and the value', () => {
    expect(ARCHIVE_PARTITIONINGS.map((p) => parseArchivePartitioning(p, 'archive.partitioning'))).toEqual(['account-category', 'account']);
    for (const value of ['Account', 'account-category ', '', null, 3])
      expect(() => parseArchivePartitioning(value, 'archive.partitioning')).toThrow(
        expect.objectContaining({ name: 'InvalidInput', message: expect.stringMatching(/^archive\.partitioning.*is not one of account-category, account$/) }),
      );
  });

  it("bounds the active partitions by two hours' worth: every account's categories and the heartbeat, or every account", () => {
    expect(activePartitionBound(80, 'account-category')).toBe((80 * 3 + 1) * 2);
    expect(activePartitionBound(83, 'account-category')).toBe(DEFAULT_ACTIVE_PARTITION_QUOTA);
    expect(activePartitionBound(84, 'account-category')).toBeGreaterThan(DEFAULT_ACTIVE_PARTITION_QUOTA);
    expect(activePartitionBound(1000, 'account')).toBe(2000);
    expect(activePartitionBound(2500, 'account')).toBe(MAX_ACTIVE_PARTITION_QUOTA);
  });
});
