import { Aspects, Stack, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

export interface AlarmNotificationsProps {
  /** Who is told when any alarm of the stack changes state. */
  readonly email: string;
}

/**
 * Every alarm of a stack reaches someone: one topic per stack (an alarm's SNS action must be in
 * its own region), encrypted, TLS only, with the configured e-mail subscribed, and an aspect that
 * gives every alarm of the stack, present or future, that topic as its alarm and OK action. The
 * e-mail subscription must be confirmed once from the message SNS sends.
 */
export class AlarmNotifications extends Construct {
  public readonly topic: sns.Topic;

  public constructor(scope: Construct, id: string, props: AlarmNotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: 'tributary-alarms',
      displayName: 'Tributary alarms',
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    // CloudWatch publishes through the AWS-managed key: it needs no key policy of ours.
    const notify = new actions.SnsAction(this.topic);
    const aspect: IAspect = {
      visit(node: IConstruct): void {
        if (node instanceof cloudwatch.Alarm && Stack.of(node) === Stack.of(scope)) {
          node.addAlarmAction(notify);
          node.addOkAction(notify);
        }
      },
    };
    Aspects.of(Stack.of(this)).add(aspect);
  }
}
