import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { tributaryKey } from './key-policy';
import type { OrganizationId } from '../../tasks/lib/domain';
import { organizationDestinationPolicy } from '../../tasks/lib/destination-policy';
import { DESTINATION_NAME } from '../../tasks/lib/ownership';

export interface CentralLogDestinationProps {
  /** Who may subscribe: the whole organization, or the accounts the onboarding tasks list. */
  readonly access: 'organization' | 'account-list';
  readonly organizationId: OrganizationId;
  /** Hours the stream keeps records (24 to 8760). */
  readonly streamRetentionHours: number;
  /** @default DESTINATION_NAME */
  readonly destinationName?: string;
  readonly streamName: string;
}

/**
 * The region's entry point for member log groups: a CloudWatch Logs destination, the on-demand
 * KMS-encrypted Kinesis stream behind it, and the role CloudWatch Logs uses to write to it.
 */
export class CentralLogDestination extends Construct {
  public readonly stream: kinesis.Stream;
  public readonly streamKey: kms.Key;
  public readonly destination: logs.CfnDestination;
  public readonly destinationArn: string;
  /** The role CloudWatch Logs writes into the stream with. */
  public readonly deliveryRole: iam.Role;

  public constructor(scope: Construct, id: string, props: CentralLogDestinationProps) {
    super(scope, id);
    const { region, account, partition } = Stack.of(this);
    const destinationName = props.destinationName ?? DESTINATION_NAME;
    this.destinationArn = `arn:${partition}:logs:${region}:${account}:destination:${destinationName}`;

    this.streamKey = tributaryKey(this, 'StreamKey', `Tributary central log stream (${region})`, [
      // The stream, the destination role and the processor use the key through their IAM policies.
      new iam.PolicyStatement({
        sid: 'AccountDelegatesUseToIam',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
        resources: ['*'],
      }),
    ]);

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: props.streamName,
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.streamKey,
      retentionPeriod: Duration.hours(props.streamRetentionHours),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason: 'A customer-managed key on purpose: its key policy and rotation are ours, unlike the aws/kinesis key.',
    });

    // CloudWatch Logs in this region delivers for the subscribing accounts through this role.
    const role = new iam.Role(this, 'DeliveryToStreamRole', {
      description: 'CloudWatch Logs writes subscribed log events into the central stream',
      // The documented confused-deputy guard: aws:SourceArn, CloudWatch Logs in this region, for
      // the sending accounts and this one (which exercises the role when the destination is
      // created) (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html).
      // The account is a wildcard so the trust stays one line at 1,000 accounts; who may send is
      // the destination policy's decision (the organization, or the listed accounts).
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com').withConditions({
        StringLike: { 'aws:SourceArn': `arn:${partition}:logs:${region}:*:*` },
      }),
    });
    this.deliveryRole = role;
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'PutToCentralStream', actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [this.stream.streamArn] }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptForStream', actions: ['kms:GenerateDataKey'], resources: [this.streamKey.keyArn] }));

    this.destination = new logs.CfnDestination(this, 'Destination', {
      destinationName,
      targetArn: this.stream.streamArn,
      roleArn: role.roleArn,
      // In account-list mode the onboarding tasks own the policy; the template leaves it alone.
      ...(props.access === 'organization'
        ? { destinationPolicy: JSON.stringify(organizationDestinationPolicy(this.destinationArn, props.organizationId)) }
        : {}),
    });
    this.destination.node.addDependency(role);
  }
}
