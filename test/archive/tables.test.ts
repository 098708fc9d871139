/**
 * The archive's named queries: every query parsed (node-sql-parser, Trino) with each column it
 * names found in the table, so a format change cannot silently break them; and the line format read
 * into the table's columns as Athena's SerDe reads it. (The table's projection
 * and the workgroup are asserted on the template in test/infra/data-path.test.ts.)
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Parser } from 'node-sql-parser';
import { ARCHIVE_PARTITIONINGS } from '../../tasks/lib/data-path/archive-layout';
import { ATHENA_DATABASE, ATHENA_TABLE, ATHENA_WORKGROUP, LINE_COLUMNS, LINE_SERDE, namedQueries, partitionColumns } from '../../tasks/lib/archive/athena';
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { renderPayload } from '../../tasks/lib/data-path/log-line';

describe('archive named queries', () => {
  it.each(ARCHIVE_PARTITIONINGS.flatMap((p) => namedQueries(p).map((q) => [p, q.name, q.sql] as const)))(
    '%s: "%s" parses and names only columns of the table',
    (partitioning, _name, sql) => {
      const known = new Set([...LINE_COLUMNS.map((c) => c.name), ...partitionColumns(partitioning).map((c) => c.name)]);
      const parser = new Parser();
      const tables = parser.tableList(sql, { database: 'Trino' });
      const columns = parser.columnList(sql, { database: 'Trino' }).map((c) => c.split('::')[2]!);
      expect(tables).toEqual([`select::${ATHENA_DATABASE}::${ATHENA_TABLE}`]);
      expect(columns.length).toBeGreaterThan(2);
      expect(
        columns.filter(
          (c) =>
            !known.has(c) &&
            !/^(event_time|event_source|event_name|source_ip|source_address|source_port|destination_port|flow_start|principal|outcome)$/.test(c),
        ),
      ).toEqual([]);
    },
  );
});

/**
 * A line read as the Hive JSON SerDe reads it into the table: each key matched to the column of
 * its lower-cased name, a key matching no column dropped, two keys on one column refused.
 */
function asRow(line: string): Record<string, unknown> {
  const columns = new Map(LINE_COLUMNS.map((c) => [c.name, c.type]));
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
    const column = key.toLowerCase();
    if (column in row) throw new Error(`duplicate key ${key}`);
    const type = columns.get(column);
    if (!type) throw new Error(`key ${key} has no column: it would be dropped`);
    if (type === 'bigint' ? !Number.isSafeInteger(value) : typeof value !== 'string') throw new Error(`key ${key}: ${typeof value} in a ${type} column`);
    row[column] = value;
  }
  return row;
}

describe('the archive table over the line format', () => {
  it('reads with the Hive JSON SerDe, not the OpenX one Athena calls non-deterministic', () => {
    expect(LINE_SERDE.serializationLibrary).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
  });

  it('reads back logGroup, a message holding JSON and a base64 message exactly as they were sent', () => {
    // Prepare
    const json = '{"eventName":"PutBucketPolicy","requestParameters":{"policy":"{\\"Statement\\":[{\\"Effect\\":\\"Allow\\"}]}"},"note":"ünïcode\\ttab"}';
    const binary = '\u0000'.repeat(1_000_000);
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: 'aws-cloudtrail-logs-123456789012-org',
      logStream: 'stream \'with\' "quotes"',
      subscriptionFilters: ['tributary-central-logging'],
      logEvents: [
        { id: '37516444927282652903218520245232262740729453423620472832', timestamp: 1764547200000, message: json },
        { id: '37516444927282652903218520245232262740729453423620472833', timestamp: 1764547200001, message: binary },
      ],
    } as unknown as DataMessage;

    // Act
    const lines = Buffer.from(renderPayload(payload, {}).data, 'base64').toString('utf8').split('\n').filter(Boolean);
    const rows = lines.map(asRow);

    // Assess
    expect(rows.map((r) => [r.loggroup, r.logstream, r.timestamp])).toEqual([
      [payload.logGroup, payload.logStream, 1764547200000],
      [payload.logGroup, payload.logStream, 1764547200001],
    ]);
    expect(rows[0]!.message).toBe(json);
    expect(rows[1]!.message).toBeUndefined();
    expect(Buffer.from(rows[1]!.messagebase64 as string, 'base64').toString('utf8')).toBe(binary);
  });
});

describe('the archive table, documented for the analyst', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'log-line.schema.json'), 'utf8')) as {
    oneOf: Array<{ properties: Record<string, { type?: string; const?: unknown; $ref?: string }> }>;
  };
  const fields = [...new Set(schema.oneOf.flatMap((branch) => Object.keys(branch.properties)))];

  it('has one column per field of the line schema, named as the SerDe matches it, with a comment naming a camel-case field', () => {
    expect(LINE_COLUMNS.map((c) => c.name).sort()).toEqual(fields.map((f) => f.toLowerCase()).sort());
    for (const field of fields) {
      const column = LINE_COLUMNS.find((c) => c.name === field.toLowerCase())!;
      expect(column.comment.length).toBeGreaterThan(10);
      if (field !== field.toLowerCase()) expect(column.comment).toContain(field);
    }
  });

  it('types each column as the schema types its field', () => {
    const expected = (field: string) => (field === 'timestamp' ? 'bigint' : field === 'backfilled' ? 'boolean' : 'string');
    expect(LINE_COLUMNS.map((c) => [c.name, c.type])).toEqual(LINE_COLUMNS.map((c) => [c.name, expected(c.name)]));
  });

  it.each(ARCHIVE_PARTITIONINGS)('names and describes each %s query once, and prunes by category only where the layout has one', (partitioning) => {
    const queries = namedQueries(partitioning);
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries)
      expect(q).toEqual({ name: expect.stringMatching(/^\S.{10,}/), description: expect.stringMatching(/^\S.{20,}/), sql: expect.any(String) });
    const byCategory = queries.map((q) => /category = '(\w+)'/.exec(q.sql)?.[1] ?? null);
    expect(byCategory).toEqual(partitioning === 'account-category' ? ['audit', 'network', 'audit', null] : [null, null, null, null]);
    expect(ATHENA_WORKGROUP).toBe('tributary');
  });
});
