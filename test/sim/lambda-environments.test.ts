/**
 * Offline, a task runs as Lambda runs it: in a free execution environment of its function, or a new
 * one. Each environment caches its own member credentials, so invocations at once each assume the
 * member role, and the orchestration account's STS quota sees every one of them.
 */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../sim/environment';
import { LambdaEnvironments } from '../../sim/lambda-environments';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { VirtualClock } from '../../workflows/local/virtual-clock';

const ACCOUNT = '123456789012' as AccountId;

/** The member roles assumed from now on, by role name. */
function assumedRoles(env: OfflineEnvironment): string[] {
  const roles: string[] = [];
  env.aws.interceptors.push((call) => {
    if (call.phase === 'after' && call.operation === 'AssumeRole') roles.push(String(call.input.RoleArn).replace(/^.*:role\//, ''));
  });
  return roles;
}

describe('Lambda execution environments, offline', () => {
  it("pages an account's regions in one invocation a second, assuming the member role once", async () => {
    // Prepare: two regions of one account, onboarded together.
    const env = createOfflineEnvironment();
    const regions = env.config.governedRegions.slice(0, 2) as Region[];
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (const region of regions) for (let i = 0; i < 40; i++) env.state.createLogGroup(ACCOUNT, region, `/app/#odd.${i}`);
    const roles = assumedRoles(env);

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT, regions });

    // Assess: one page loop for the account, so one environment of the page task and one set of credentials, reused page after page.
    expect(execution.status).toBe('SUCCEEDED');
    expect(roles.filter((r) => r.endsWith('-SubscribeLogGroupsPage'))).toHaveLength(1);
  });

  it('reuses a warm environment and its credentials for the next invocation', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const region = env.config.governedRegions[0] as Region;
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < 40; i++) env.state.createLogGroup(ACCOUNT, region, `/app/${i}`);
    const roles = assumedRoles(env);

    // Act: ten pages, one after another.
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region });

    // Assess
    expect(roles.filter((r) => r.endsWith('-SubscribeLogGroupsPage'))).toHaveLength(1);
  });
});

describe('LambdaEnvironments', () => {
  /**
   * Runs `invocations` (function, input, virtual ms it lasts), each started after `startAt` ms and
   * `ticks` more promise turns at that instant, and says which environment each got.
   */
  const run = async (clock: VirtualClock, invocations: ReadonlyArray<{ fn: string; input: unknown; startAt: number; lasts: number; ticks?: number }>) => {
    let created = 0;
    const environments = new LambdaEnvironments(clock, (fn) => `${fn}#${created++}`);
    const got = await clock.run(() =>
      Promise.all(
        invocations.map(async ({ fn, input, startAt, lasts, ticks = 0 }) => {
          await clock.sleep(startAt);
          for (let tick = 0; tick < ticks; tick++) await Promise.resolve();
          return environments.invoke(fn, input, async (context) => {
            await clock.sleep(lasts);
            return context;
          });
        }),
      ),
    );
    return { got, environments };
  };

  it('reuses an environment freed before an invocation starts, not one freed at that very instant', async () => {
    // Act: the first lasts 100 ms; one starts as it ends (after the first has let its environment
    // go, as promise turns go), one a millisecond later.
    const { got, environments } = await run(new VirtualClock(), [
      { fn: 'Page', input: { page: 1 }, startAt: 0, lasts: 100 },
      { fn: 'Page', input: { page: 2 }, startAt: 100, lasts: 100, ticks: 20 },
      { fn: 'Page', input: { page: 3 }, startAt: 101, lasts: 100 },
    ]);

    // Assess
    expect(got).toEqual(['Page#0', 'Page#1', 'Page#0']);
    expect(environments.count('Page')).toBe(2);
  });

  it('gives invocations that start at one instant environments in the order of their input, whatever order they were asked in', async () => {
    // Prepare: two warm environments, freed at 50 ms; two invocations start at 60 ms, asked in either order.
    const warm = [
      { fn: 'Page', input: { page: 'a' }, startAt: 0, lasts: 50 },
      { fn: 'Page', input: { page: 'b' }, startAt: 0, lasts: 50 },
    ];
    const later = [
      { fn: 'Page', input: { page: 'y' }, startAt: 60, lasts: 10 },
      { fn: 'Page', input: { page: 'x' }, startAt: 60, lasts: 10 },
    ];

    // Act
    const forward = await run(new VirtualClock(), [...warm, ...later]);
    const reversed = await run(new VirtualClock(), [...warm, ...[...later].reverse()]);

    // Assess: "x" sorts first, so it takes the oldest free environment both times.
    expect(forward.got.slice(2)).toEqual(['Page#1', 'Page#0']);
    expect(reversed.got.slice(2)).toEqual(['Page#0', 'Page#1']);
  });

  it('keeps the environments of each function apart', async () => {
    const { got } = await run(new VirtualClock(), [
      { fn: 'Page', input: {}, startAt: 0, lasts: 10 },
      { fn: 'Guard', input: {}, startAt: 20, lasts: 10 },
    ]);
    expect(got).toEqual(['Page#0', 'Guard#1']);
  });
});
