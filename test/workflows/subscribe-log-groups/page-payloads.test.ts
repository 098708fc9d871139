/**
 * The Express page loop carries the onboard-region summaries it was started with to its first page
 * only: from the second page on the regions and their cursors are in the page itself.
 */
import { createOfflineEnvironment } from '../../../sim/environment';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { PAGE_SIZE, subscribeLogGroupsPage } from '../../../tasks/subscribe-log-groups-page';
import { LocalRunner } from '../../../workflows/local/runner';

const ACCOUNT = '123456789012' as AccountId;
const REGIONS = ['eu-west-1', 'us-east-1'] as Region[];
const GROUPS = 2 * PAGE_SIZE + 1;

/** An onboard-region summary that leaves the region's log groups to the account's page loop, with the rest of what onboard-region reports. */
const summary = (region: Region) => ({
  accountId: ACCOUNT,
  region,
  status: 'Onboarded',
  destinationAccess: { accountId: ACCOUNT, region, mode: 'organization', status: 'Granted', changed: false },
  logGroups: { status: 'Deferred' },
  guardDuty: { accountId: ACCOUNT, region, mode: 'invitation', status: 'Enabled', changed: true, actions: ['CreateDetector (member)'] },
});

describe('subscribe-log-groups page payloads', () => {
  it("hands the run's region summaries to the first page only, and still pages every region to the end", async () => {
    // Prepare
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (const region of REGIONS) for (let i = 0; i < GROUPS; i++) env.state.createLogGroup(ACCOUNT, region, `/app/service-${i}`);
    const payloads: Array<{ regions: unknown }> = [];
    const runner = new LocalRunner({
      tasks: {},
      clock: env.clock,
      stateHandlers: {
        SubscribeLogGroupsPage: async (request) => {
          const payload = (request as { Payload: { regions: unknown } }).Payload;
          payloads.push(payload);
          return { StatusCode: 200, Payload: await subscribeLogGroupsPage(payload, env.context) };
        },
      },
    });

    // Act
    const run = await runner.start('subscribe-log-groups', { accountId: ACCOUNT, regions: REGIONS.map(summary), page: {} });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(payloads).toHaveLength(3);
    expect(payloads[0]!.regions).toEqual(REGIONS.map(summary));
    expect(payloads.slice(1).map((p) => p.regions)).toEqual([[], []]);
    expect(run.output).toMatchObject({
      regions: REGIONS.map((region) => ({ region, status: 'Done', totals: { pages: 3, total: GROUPS, subscribed: GROUPS } })),
    });
  });
});
