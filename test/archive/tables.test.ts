/**
 * The archive's Athena table and named queries: projection on every level of the Firehose prefix,
 * a workgroup that enforces encrypted results, and every query parsed (node-sql-parser, Trino) with
 * each column it names found in the table, so a format change cannot silently break them.
 */
import { Parser } from 'node-sql-parser';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../infra/config/schema';
import { addTributaryStacks } from '../../infra/tributary-app';
import { ARCHIVE_PARTITIONINGS, archivePrefix } from '../../tasks/lib/data-path/archive-layout';
import { ATHENA_DATABASE, ATHENA_TABLE, LINE_COLUMNS, namedQueries, partitionColumns } from '../../tasks/lib/archive/athena';
import { testApp } from '../infra/test-app';

const config = loadConfig(EXAMPLE_CONFIG_PATH);

describe('archive tables', () => {
  const archive = Template.fromStack(addTributaryStacks(testApp(), config).archive);

  it('projects every partition key of the Firehose prefix, with no crawler', () => {
    const [table] = Object.values(archive.findResources('AWS::Glue::Table')) as Array<{ Properties: { TableInput: { PartitionKeys: Array<{ Name: string }>; Parameters: Record<string, unknown> } } }>;
    const keys = table!.Properties.TableInput.PartitionKeys.map((k) => k.Name);
    // Every level of the prefix is a key: region=, account=, category= and the arrival hour.
    const levels = archivePrefix('eu-west-1', config.archive.partitioning).split('/').filter(Boolean).slice(1);
    expect(keys).toHaveLength(levels.length - 3);
    for (const key of keys) expect(table!.Properties.TableInput.Parameters[`projection.${key}.type`]).toBeDefined();
    expect(table!.Properties.TableInput.Parameters['projection.enabled']).toBe('true');
    expect(JSON.stringify(table!.Properties.TableInput.Parameters['storage.location.template'])).toContain('/logs/region=${region}/account=${account}/category=${category}/${hour}/');
    archive.resourceCountIs('AWS::Glue::Crawler', 0);
  });

  it('has a workgroup that enforces its encrypted results location, and the named queries', () => {
    archive.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ EnforceWorkGroupConfiguration: true, ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }) }),
    });
    archive.resourceCountIs('AWS::Athena::NamedQuery', namedQueries(config.archive.partitioning).length);
  });

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
