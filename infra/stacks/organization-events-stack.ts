import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { HUB_BUS_NAME, ORGANIZATION_TRAIL_NAME } from '../../tasks/lib/ownership';
import { ORGANIZATION_TRAIL_KEY_ALIAS } from '../constructs/organization-trail-bucket';
import { organizationTrailBucketName } from '../../tasks/lib/resource-names';
import { ORGANIZATION_EVENTS_RULE_NAME, organizationEventsPattern } from '../../workflows/forwarding';
import type { TributaryConfig } from '../../tasks/lib/config';

export interface OrganizationEventsStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/**
 * In the management account's us-east-1, where Organizations and Control Tower deliver their
 * events: one rule forwarding them to the hub bus, with retries and a dead-letter queue.
 */
export class OrganizationEventsStack extends Stack {
  public constructor(scope: Construct, id: string, props: OrganizationEventsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const hubBus = events.EventBus.fromEventBusArn(
      this,
      'HubBus',
      `arn:${this.partition}:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/${HUB_BUS_NAME}`,
    );
    const deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: 'tributary-organization-events-dead-letters',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the forwarding rule.' });
    // EventBridge puts events on the hub bus with this role, trusted for this account only.
    const forwarding = new iam.Role(this, 'ForwardToHubRole', {
      description: 'Tributary: forwards organization events to the hub bus',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': this.account } }),
    });
    new events.Rule(this, 'ForwardToHub', {
      ruleName: ORGANIZATION_EVENTS_RULE_NAME,
      description: "Forwards the organization's account events to Tributary's hub bus",
      eventPattern: organizationEventsPattern(),
      targets: [new targets.EventBus(hubBus, { deadLetterQueue: deadLetters, role: forwarding })],
    });
    if (config.cloudTrail === 'create') {
      // Every trigger Tributary has is a CloudTrail event: the organization trail logs management
      // events of every account and region, with log file validation, into the logging account.
      // CloudTrail must be trusted by the organization first (README, deploy steps).
      new cloudtrail.CfnTrail(this, 'OrganizationTrail', {
        trailName: ORGANIZATION_TRAIL_NAME,
        isLogging: true,
        isOrganizationTrail: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        s3BucketName: organizationTrailBucketName(config.accounts.logging, config.homeRegion),
        kmsKeyId: `arn:${this.partition}:kms:${config.homeRegion}:${config.accounts.logging}:${ORGANIZATION_TRAIL_KEY_ALIAS}`,
        eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
      });
    }
  }
}
