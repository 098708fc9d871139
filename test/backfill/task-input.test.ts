/** BackfillLogGroups refuses what no previous invocation could have left, naming the field, and backfills only its config's categories. */
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId } from '../../sim/scenario';
import { backfillLogGroups } from '../../tasks/backfill-log-groups';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import type { AccountId } from '../../tasks/lib/domain';

function world(categories: Array<'audit' | 'network' | 'application'>) {
  const env = createOfflineEnvironment({ config: { ...loadConfig(EXAMPLE_CONFIG_PATH), backfill: { days: 7, categories, maxBytesPerAccount: 50e9 } } });
  const accountId = memberAccountId(0) as AccountId;
  env.state.addAccount({ id: accountId, name: 'member-1', regions: env.config.governedRegions, roleMissingAttempts: 0 });
  const call = (page: object) =>
    env.clock.run(() => backfillLogGroups({ accountId, region: env.config.homeRegion, page, execution: 'run-1' }, env.contextFor('BackfillLogGroups')));
  return { env, accountId, call };
}

describe('BackfillLogGroups input', () => {
  it.each([
    [{ queue: ['/aws/lambda/orders"}, {"x'] }, 'page.queue'],
    [{ queue: 'not a list' }, 'page.queue'],
    [{ queue: Array(51).fill('/a') }, 'page.queue'],
    [{ only: '/aws/lambda/with space' }, 'page.only'],
    [{ only: 7 }, 'page.only'],
  ])('refuses page %j, naming %s', async (page, named) => {
    const { call } = world(['application']);
    await expect(call(page)).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining(`${named}:`) });
  });

  it('backfills nothing of a new group outside its categories, and says so', async () => {
    // Prepare: a Lambda group (application) with a backfill of audit logs only
    const { env, accountId, call } = world(['audit']);
    env.state.createLogGroup(accountId, env.config.homeRegion, '/aws/lambda/orders');

    // Act
    const result = await call({ only: '/aws/lambda/orders' });

    // Assess
    expect(result).toMatchObject({ done: true, queue: [], totals: { groups: 0, pages: 0 } });
    expect(env.aws.ledger.apiCalls()['CloudWatchLogs.FilterLogEvents'] ?? 0).toBe(0);
  });
});
