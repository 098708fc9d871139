/** The logging account shares its metrics with the hub's dashboard, and nothing else. */
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MetricsSharingRole, METRICS_SHARING_ROLE_NAME } from '../../infra/constructs/metrics-sharing-role';
import { testApp } from './test-app';

const MONITORING = '333333333333';

describe('MetricsSharingRole', () => {
  it('is the role the CloudWatch console assumes, trusted by the monitoring account alone, for metric and alarm reads only', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Sharing', { env: { account: '222222222222', region: 'us-east-1' } });

    // Act
    new MetricsSharingRole(stack, 'Sharing', { monitoringAccount: MONITORING });

    // Assess
    const template = Template.fromStack(stack);
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    expect(role!.Properties.RoleName).toBe(METRICS_SHARING_ROLE_NAME);
    expect(role!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${MONITORING}:root`]] } } },
    ]);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const actions = policy!.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'cloudwatch:DescribeAlarmHistory',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:GetMetricData',
      'cloudwatch:GetMetricStatistics',
      'cloudwatch:ListMetrics',
    ]);
  });

  it('passes AwsSolutionsChecks with its two acknowledged wildcards (metric reads, this account alarms)', () => {
    const checked = testApp();
    new MetricsSharingRole(new Stack(checked, 'Sharing', { env: { account: '222222222222', region: 'us-east-1' } }), 'Sharing', {
      monitoringAccount: MONITORING,
    });
    Validations.of(checked).addPlugins(new AwsSolutionsChecks(checked));
    expect(() => checked.synth()).not.toThrow();
  });
});
