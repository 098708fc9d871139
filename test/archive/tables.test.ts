/**
 * The archive's named queries: every query parsed (node-sql-parser, Trino) with each column it
 * names found in the table, so a format change cannot silently break them. (The table's projection
 * and the workgroup are asserted on the template in test/infra/data-path.test.ts.)
 */
import { Parser } from 'node-sql-parser';
import { ARCHIVE_PARTITIONINGS } from '../../tasks/lib/data-path/archive-layout';
import { ATHENA_DATABASE, ATHENA_TABLE, LINE_COLUMNS, namedQueries, partitionColumns } from '../../tasks/lib/archive/athena';

describe('archive named queries', () => {
  it.each(ARCHIVE_PARTITIONINGS.flatMap((p) => namedQueries(p).map((q) => [p, q.name, q.sql] as const)))('%s: "%s" parses and names only columns of the table', (partitioning, _name, sql) => {
    const known = new Set([...LINE_COLUMNS.map((c) => c.name), ...partitionColumns(partitioning).map((c) => c.name)]);
    const parser = new Parser();
    const tables = parser.tableList(sql, { database: 'Trino' });
    const columns = parser.columnList(sql, { database: 'Trino' }).map((c) => c.split('::')[2]!);
    expect(tables).toEqual([`select::${ATHENA_DATABASE}::${ATHENA_TABLE}`]);
    expect(columns.length).toBeGreaterThan(2);
    expect(columns.filter((c) => !known.has(c) && !/^(event_time|event_source|event_name|source_ip|source_address|source_port|destination_port|flow_start|principal|outcome)$/.test(c))).toEqual([]);
  });
});
