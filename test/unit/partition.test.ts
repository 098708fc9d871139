/**
 * Every ARN Tributary builds names the organization's partition, as the CDK's own do. The config
 * still refuses China and GovCloud (tasks/lib/config.ts: GuardDuty, Organizations and the
 * destinations there are unverified), so these build a config past its validation. The ASL's
 * service integrations stay `arn:aws:states:::` until then: cfn-lint 1.51 validates them against
 * that partition only, and a `${Partition}` substitution made it fail.
 */
import { EXAMPLE_CONFIG_PATH, loadConfig, parseConfig, type TributaryConfig } from '../../tasks/lib/config';
import { parseAccountId, parseRegion, partitionOf } from '../../tasks/lib/domain';
import { destinationArn, eventForwardingRoleArn, flowLogsRoleArn, hubBusArn, logsDeliveryRoleArn } from '../../tasks/lib/ownership';
import { tamperPreventionPolicyText } from '../../infra/tamper-prevention-policy';
import { memberForwardingPattern, tributaryCallers } from '../../workflows/forwarding';

describe('partitions', () => {
  it('knows each region by its partition', () => {
    expect(
      ['us-east-1', 'eu-west-1', 'il-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1'].map((r) => partitionOf(parseRegion(r))),
    ).toEqual(['aws', 'aws', 'aws', 'aws-cn', 'aws-cn', 'aws-us-gov', 'aws-us-gov']);
  });

  it('is refused outside the aws partition by the config, naming the field', () => {
    expect(() => parseConfig({ ...loadConfig(EXAMPLE_CONFIG_PATH), homeRegion: 'us-gov-west-1' })).toThrow(
      'config.homeRegion: "us-gov-west-1" is outside the aws partition',
    );
  });

  it.each([
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
  ])(
    'builds every ARN of an organization homed in %s in %s: the member roles, the hub bus, the destinations, the forwarding rule, the SCP',
    (home, partition) => {
      // Prepare
      const example = loadConfig(EXAMPLE_CONFIG_PATH);
      const region = parseRegion(home);
      const config: TributaryConfig = { ...example, homeRegion: region, governedRegions: [region] };
      const account = parseAccountId('123456789012');

      // Act
      const arns = [
        flowLogsRoleArn(account, region),
        eventForwardingRoleArn(account, region),
        logsDeliveryRoleArn(account, region),
        hubBusArn(account, region),
        destinationArn(account, region),
      ];
      const pattern = JSON.stringify(memberForwardingPattern(tributaryCallers(config)));
      const scp = tamperPreventionPolicyText(config);

      // Assess
      for (const arn of arns) expect(arn).toMatch(new RegExp(`^arn:${partition}:`));
      for (const text of [pattern, scp]) {
        expect(text).not.toContain('arn:aws:');
        expect(text).toContain(`arn:${partition}:`);
      }
    },
  );
});
