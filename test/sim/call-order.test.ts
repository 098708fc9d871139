/**
 * Calls sent at one instant are answered in the order they were sent, whatever the simulator had
 * already decided about their authorization: a decision made before (by another account of the
 * same kind, or by an earlier run of the process) takes fewer promise turns than a new one, and it
 * must not change which call gets which latency or which is answered first.
 */
import { DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId } from '../../sim/scenario';
import type { Region } from '../../tasks/lib/domain';
import { lambdaInvocation } from '../../workflows/local/lambda-invocation';

const REGION = 'eu-west-1' as Region;
const GROUPS = ['/app/a', '/app/b', '/app/c'];

/** When each of two calls sent at once by one account is answered, after another account asked about `askedBefore`. */
async function answeredAfter(askedBefore: string): Promise<Record<string, number>> {
  const env = createOfflineEnvironment();
  const [other, caller] = [memberAccountId(0), memberAccountId(1)];
  for (const id of [other, caller]) {
    env.state.addAccount({ id, name: id, regions: [REGION] });
    for (const group of GROUPS) env.state.createLogGroup(id, REGION, group);
  }
  const { clients } = env.contextFor('SubscribeLogGroup');
  return lambdaInvocation.run({ terminated: false, task: 'SubscribeLogGroup' }, async () => {
    await (await clients.logs(other, REGION)).send(new DescribeSubscriptionFiltersCommand({ logGroupName: askedBefore }));
    const logs = await clients.logs(caller, REGION);
    const sentAt = env.clock.now();
    const answered: Record<string, number> = {};
    await Promise.all(
      ['/app/a', '/app/b'].map(async (logGroupName) => {
        await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }));
        answered[logGroupName] = env.clock.now() - sentAt;
      }),
    );
    return answered;
  });
}

describe('calls sent at one instant', () => {
  it('are answered alike whether the second one was authorized before or not', async () => {
    // Act: first with neither call decided before; then with the second decided (for another account of the same kind), the first not.
    const undecided = await answeredAfter('/app/c');
    const secondDecided = await answeredAfter('/app/b');

    // Assess: the two calls' latencies differ, so the order they take them in shows.
    expect(undecided['/app/a']).not.toBe(undecided['/app/b']);
    expect(secondDecided).toEqual(undecided);
  });
});
