/**
 * The Athena table reads exactly where the data path and the backfill write: its projection's
 * location template, filled with a key's partition values, is that key's folder; its partition
 * columns are the template's placeholders in order; every field a line can carry is a column.
 */
import { ARCHIVE_PARTITIONINGS } from '../../tasks/lib/data-path/archive-layout';
import { LINE_COLUMNS, partitionColumns, projectionProperties } from '../../tasks/lib/archive/athena';
import { backfillObjectKey } from '../../tasks/lib/backfill';
import { renderPayload } from '../../tasks/lib/data-path/log-line';
import { LOG_CATEGORIES } from '../../tasks/lib/data-path/log-source';
import type { AccountId } from '../../tasks/lib/domain';

const BUCKET = 'tributary-archive-222222222222-us-east-1';

describe('the archive table, projected', () => {
  it.each(ARCHIVE_PARTITIONINGS)('(%s) names the partition columns in the order of the location template', (partitioning) => {
    const template = projectionProperties(BUCKET, ['us-east-1'], partitioning)['storage.location.template']!;
    const placeholders = [...template.matchAll(/\$\{([a-z]+)\}/g)].map((m) => m[1]);
    expect(placeholders).toEqual(partitionColumns(partitioning).map((c) => c.name));
    expect(partitionColumns(partitioning).every((c) => c.type === 'string')).toBe(true);
  });

  it("finds the backfill's objects: the template filled with a key's values is that key's folder", () => {
    // Prepare: a backfill key of the account-category layout
    const key = backfillObjectKey(
      { account: '100000000001' as AccountId, region: 'eu-west-1', logGroupName: '/aws/lambda/orders' },
      Date.UTC(2026, 0, 2, 3, 30),
      '42',
    );
    const [, region, account, category, hour] = /^logs\/region=([^/]+)\/account=(\d+)\/category=([a-z]+)\/(\d{4}\/\d{2}\/\d{2}\/\d{2})\//.exec(key)!;

    // Act
    const properties = projectionProperties(BUCKET, ['us-east-1', 'eu-west-1'], 'account-category');
    const folder = properties['storage.location.template']!.replace(/\$\{(\w+)\}/g, (_m, name: string) => ({ region, account, category, hour })[name]!);

    // Assess
    expect(`s3://${BUCKET}/${key}`.startsWith(folder)).toBe(true);
    expect(folder.endsWith('/2026/01/02/03/')).toBe(true);
    expect(properties).toMatchObject({
      'projection.enabled': 'true',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
      'projection.account.type': 'injected',
      'projection.category.type': 'enum',
      'projection.category.values': LOG_CATEGORIES.join(','),
      'projection.hour.type': 'date',
      'projection.hour.format': 'yyyy/MM/dd/HH',
      'projection.hour.interval': '1',
      'projection.hour.interval.unit': 'HOURS',
    });
    expect(properties['projection.hour.range']).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\d{2},NOW$/);
  });

  it('projects no category where the layout has none', () => {
    const properties = projectionProperties(BUCKET, ['us-east-1'], 'account');
    expect(Object.keys(properties).filter((k) => k.includes('category'))).toEqual([]);
    expect(properties['storage.location.template']).toBe(`s3://${BUCKET}/logs/region=\${region}/account=\${account}/\${hour}/`);
  });

  it('has a column for every field a valid line carries, live or backfilled', () => {
    // Prepare: a live event and a backfilled one
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '100000000001',
      logGroup: '/aws/lambda/orders',
      logStream: 's',
      subscriptionFilters: [],
      logEvents: [{ id: '1', timestamp: 1, message: '{"a":1}' }],
    };
    const lines = [
      ...Buffer.from(renderPayload(payload as never, {}).data, 'base64')
        .toString('utf8')
        .split('\n'),
      ...Buffer.from(renderPayload({ ...payload, backfill: true } as never, {}).data, 'base64')
        .toString('utf8')
        .split('\n'),
    ].filter(Boolean);

    // Act
    const fields = new Set(lines.flatMap((l) => Object.keys(JSON.parse(l) as object).map((k) => k.toLowerCase())));

    // Assess
    const columns = LINE_COLUMNS.map((c) => c.name);
    expect([...fields].filter((f) => !columns.includes(f))).toEqual([]);
    expect(fields).toEqual(new Set(['timestamp', 'loggroup', 'logstream', 'id', 'message', 'backfilled']));
    expect(LINE_COLUMNS.find((c) => c.name === 'timestamp')!.type).toBe('bigint');
    expect(LINE_COLUMNS.find((c) => c.name === 'backfilled')!.type).toBe('boolean');
  });
});
