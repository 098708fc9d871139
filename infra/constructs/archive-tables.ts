import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ArchivePartitioning } from '../../tasks/lib/data-path/archive-layout';
import {
  ATHENA_DATABASE,
  ATHENA_TABLE,
  ATHENA_WORKGROUP,
  LINE_COLUMNS,
  LINE_SERDE,
  namedQueries,
  partitionColumns,
  projectionProperties,
} from '../../tasks/lib/archive/athena';

export interface ArchiveTablesProps {
  readonly bucket: s3.IBucket;
  readonly regions: readonly string[];
  readonly partitioning: ArchivePartitioning;
  /** Where the results bucket logs its access. */
  readonly accessLogs: s3.IBucket;
}

/**
 * The archive, queryable on day one: a Glue database and table over `logs/` with partition
 * projection on every level of the Firehose prefix, an Athena workgroup that enforces its own
 * encrypted results bucket, and the investigator's first queries (tasks/lib/archive/athena.ts).
 */
export class ArchiveTables extends Construct {
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly resultsBucket: s3.Bucket;

  public constructor(scope: Construct, id: string, props: ArchiveTablesProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: ATHENA_DATABASE, description: 'Tributary: the central log archive' },
    });
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: ATHENA_DATABASE,
      tableInput: {
        name: ATHENA_TABLE,
        description: 'One row per archived line (docs/log-line.schema.json); partitions projected from the object keys',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: partitionColumns(props.partitioning),
        parameters: { classification: 'json', compressionType: 'gzip', ...projectionProperties(props.bucket.bucketName, props.regions, props.partitioning) },
        storageDescriptor: {
          location: `s3://${props.bucket.bucketName}/logs/`,
          columns: LINE_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: LINE_SERDE.serializationLibrary, parameters: { ...LINE_SERDE.parameters } },
        },
      },
    });
    table.addResourceDependency(database);

    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: ATHENA_WORKGROUP,
      description: 'Tributary: queries over the central log archive',
      workGroupConfiguration: {
        // Everyone's results land encrypted in the one bucket, whatever their client says.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: { outputLocation: `s3://${this.resultsBucket.bucketName}/results/`, encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
      },
    });
    for (const [i, query] of namedQueries(props.partitioning).entries()) {
      new athena.CfnNamedQuery(this, `Query${i}`, {
        name: query.name,
        description: query.description,
        database: ATHENA_DATABASE,
        queryString: query.sql,
        workGroup: ATHENA_WORKGROUP,
      }).addResourceDependency(this.workgroup);
    }
  }
}
