/**
 * Issue #24 item 3: with `notifications` set, every alarm of every stack notifies someone; without
 * it, `validate` says the alarms notify nobody.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configNotices } from '../../bin/validate-command';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { AlarmNotifications } from '../../infra/constructs/alarm-notifications';
import { synthesizedTemplates, testApp } from './test-app';

const accountList = loadConfig(`${__dirname}/../../infra/config/tributary.account-list.example.json`);
const example = loadConfig(EXAMPLE_CONFIG_PATH);

function alarmsOf(config: typeof example) {
  return synthesizedTemplates(config).flatMap(({ name, template }) =>
    Object.entries<Record<string, any>>(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => ({ where: `${name} ${id}`, actions: r.Properties.AlarmActions as unknown[] | undefined })),
  );
}

describe('alarm notifications', () => {
  it('gives every alarm of every stack an action when notifications is set', () => {
    const alarms = alarmsOf(accountList);
    expect(alarms.length).toBeGreaterThan(40);
    expect(alarms.filter((a) => !a.actions?.length).map((a) => a.where)).toEqual([]);
  });

  it('leaves them without one, and validate says so, when it is not', () => {
    expect(alarmsOf(example).filter((a) => a.actions?.length)).toEqual([]);
    expect(configNotices(example)).toContainEqual(expect.stringContaining('config.notifications: not set'));
    expect(configNotices(accountList).filter((n) => n.includes('notifications'))).toEqual([]);
  });

  it('reaches alarms added after it, subscribes the e-mail, and passes cdk-nag', () => {
    const app = testApp();
    const stack = new Stack(app, 'Alarms', { env: { account: '123456789012', region: 'eu-west-1' } });
    new AlarmNotifications(stack, 'Notifications', { email: 'soc@example.com' });
    new cloudwatch.Alarm(stack, 'Late', {
      metric: new cloudwatch.Metric({ namespace: 'Tributary', metricName: 'X', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@example.com' });
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarm!.Properties.AlarmActions).toHaveLength(1);
    expect(alarm!.Properties.OKActions).toHaveLength(1);

    const checked = testApp();
    const nagged = new Stack(checked, 'Alarms', { env: { account: '123456789012', region: 'eu-west-1' } });
    new AlarmNotifications(nagged, 'Notifications', { email: 'soc@example.com' });
    Validations.of(checked).addPlugins(new AwsSolutionsChecks(checked));
    expect(() => checked.synth()).not.toThrow();
  });
});
