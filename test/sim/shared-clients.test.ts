/**
 * Offline, the Lambda environments' client factories share a member client built alike, rather
 * than each building it again (sim/shared-clients.ts); every other factory builds its own.
 */
import { createOfflineEnvironment } from '../../sim/environment';
import { SharedClientPool } from '../../sim/shared-clients';
import { ClientFactory } from '../../tasks/lib/clients';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { memberRoleNameFor } from '../../tasks/lib/ownership';

const ACCOUNT = '123456789012' as AccountId;
const OTHER = '210987654321' as AccountId;

describe('SharedClientPool', () => {
  it('builds a client once per key and keeps the most recently used up to its capacity', () => {
    // Prepare
    const pool = new SharedClientPool(2);
    let built = 0;
    const build = () => ({ client: ++built });

    // Act
    const a = pool.get('a', build);
    const again = pool.get('a', build);
    pool.get('b', build);
    pool.get('a', build);
    pool.get('c', build);
    const b = pool.get('b', build);

    // Assess: b was the least recently used when c came, so it was built again.
    expect(again).toBe(a);
    expect(b).toEqual({ client: 4 });
    expect(pool.size).toBe(2);
    expect(pool.get('a', build)).not.toBe(a);
  });
});

describe("the Lambda environments' client factories", () => {
  const env = createOfflineEnvironment();
  for (const account of [ACCOUNT, OTHER]) env.state.addAccount({ id: account, name: account, regions: env.config.governedRegions });
  const [region, otherRegion] = env.config.governedRegions as Region[];
  const task = memberRoleNameFor(env.config.memberRoleName, 'SubscribeLogGroupsPage');
  const environmentFactory = () => env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion, task, { lambdaEnvironment: true });

  it('share a client built alike: same service, account, region and credentials', async () => {
    // Prepare: two environments of one function, each with its own factory and credentials cache.
    const [first, second] = [environmentFactory(), environmentFactory()];

    // Act
    const [a, b, elsewhere, otherAccount] = await env.clock.run(async () => [
      await first.logs(ACCOUNT, region!),
      await second.logs(ACCOUNT, region!),
      await second.logs(ACCOUNT, otherRegion!),
      await second.logs(OTHER, region!),
    ]);

    // Assess
    expect(b).toBe(a);
    expect(elsewhere).not.toBe(a);
    expect(otherAccount).not.toBe(a);
    expect(await elsewhere.config.region()).toBe(otherRegion);
  });

  it("share the orchestrator's own clients", () => {
    // Act
    const [first, second] = [environmentFactory(), environmentFactory()];

    // Assess
    expect(second.dynamo()).toBe(first.dynamo());
    expect(second.account()).toBe(first.account());
    expect(env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion, task).dynamo()).not.toBe(first.dynamo());
  });

  it('keep no cache of their own: a client the pool has dropped is built again', async () => {
    // Prepare: a pool of one client, so the second region's client drops the first's.
    const factory = new ClientFactory({
      memberRoleName: task,
      hubRegion: env.config.homeRegion,
      credentials: env.aws.credentialsFor(env.config.accounts.orchestration),
      decorate: (client) => env.aws.attach(client),
      clock: env.clock,
      sharedClients: new SharedClientPool(1),
    });

    // Act
    const [first, elsewhere, again] = await env.clock.run(async () => [
      await factory.logs(ACCOUNT, region!),
      await factory.logs(ACCOUNT, otherRegion!),
      await factory.logs(ACCOUNT, region!),
    ]);

    // Assess
    expect(elsewhere).not.toBe(first);
    expect(again).not.toBe(first);
    expect(await again.config.region()).toBe(region);
  });

  it('do not share with a factory used outside Lambda invocations, whose limiter is its own', async () => {
    // Prepare
    const lambda = environmentFactory();
    const direct = env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion, task);

    // Act
    const [a, b] = await env.clock.run(async () => [await lambda.logs(ACCOUNT, region!), await direct.logs(ACCOUNT, region!)]);

    // Assess
    expect(b).not.toBe(a);
  });

  it("do not share between member roles: each role's credentials are its own", async () => {
    // Prepare
    const other = env.aws.clientFactory(
      env.config.accounts.orchestration,
      env.config.homeRegion,
      memberRoleNameFor(env.config.memberRoleName, 'EnsureFlowLogsPage'),
      {
        lambdaEnvironment: true,
      },
    );

    // Act
    const [a, b] = await env.clock.run(async () => [await environmentFactory().logs(ACCOUNT, region!), await other.logs(ACCOUNT, region!)]);

    // Assess
    expect(b).not.toBe(a);
  });
});
