import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_FORWARDING_ROLE_NAME, FORWARDING_TARGET_ID, HUB_BUS_NAME } from '../../tasks/lib/ownership';
import { MEMBER_ACCOUNT_EVENTS_RULE_NAME, memberAccountEventsPattern } from '../../workflows/forwarding';
import type { TributaryConfig } from '../../tasks/lib/config';

export interface MemberAccountEventsStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/**
 * In each member account's us-east-1, where Account Management delivers a member's own
 * `Region Opt-In Status Change` (https://docs.aws.amazon.com/accounts/latest/reference/monitoring-eventbridge.html):
 * one rule forwarding it to the hub bus through the baseline's event-forwarding role. Deployed by
 * its own service-managed StackSet, to us-east-1 only (the baseline's IAM roles are global and
 * deployed once, in the home region).
 */
export class MemberAccountEventsStack extends Stack {
  public constructor(scope: Construct, id: string, props: MemberAccountEventsStackProps) {
    super(scope, id, props);
    const { config } = props;
    new events.CfnRule(this, 'ForwardAccountEvents', {
      name: MEMBER_ACCOUNT_EVENTS_RULE_NAME,
      description: "Tributary: forwards this account's region opt-in changes to the hub",
      eventPattern: memberAccountEventsPattern(),
      state: 'ENABLED',
      targets: [
        {
          id: FORWARDING_TARGET_ID,
          arn: `arn:${this.partition}:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/${HUB_BUS_NAME}`,
          roleArn: `arn:${this.partition}:iam::${this.account}:role/${EVENT_FORWARDING_ROLE_NAME}`,
        },
      ],
    });
  }
}
