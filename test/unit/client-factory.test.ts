/** A warm Lambda environment serves account-region after account-region: its client factory keeps a bounded set of clients. */
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId } from '../../sim/scenario';
import { MAX_CACHED_CLIENTS } from '../../tasks/lib/clients';
import type { Region } from '../../tasks/lib/domain';

describe('ClientFactory', () => {
  it(`keeps at most ${MAX_CACHED_CLIENTS} member clients, dropping the least recently used`, async () => {
    // Prepare: one account-region more than the factory keeps clients for.
    const env = createOfflineEnvironment();
    const regions = env.config.governedRegions as Region[];
    const accounts = Array.from({ length: Math.ceil((MAX_CACHED_CLIENTS + 1) / regions.length) }, (_, i) => memberAccountId(i));
    for (const [i, id] of accounts.entries()) env.state.addAccount({ id, name: `member-${i}`, regions });
    const factory = env.contextFor('SubscribeLogGroupsPage').clients;
    const pairs = accounts.flatMap((account) => regions.map((region) => [account, region] as const)).slice(0, MAX_CACHED_CLIENTS + 1);
    const first = await factory.logs(...pairs[0]!);
    const second = await factory.logs(...pairs[1]!);

    // Act: the first is used again, then every other account-region once.
    await factory.logs(...pairs[0]!);
    for (const pair of pairs.slice(2)) await factory.logs(...pair);

    // Assess: the second, least recently used, was dropped; the first was kept.
    expect(await factory.logs(...pairs[0]!)).toBe(first);
    expect(await factory.logs(...pairs[1]!)).not.toBe(second);
  });

  it('answers the same client for the same account-region while its credentials last', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const id = memberAccountId(0);
    env.state.addAccount({ id, name: 'member-0', regions: env.config.governedRegions });
    const factory = env.contextFor('SubscribeLogGroupsPage').clients;
    const region = env.config.governedRegions[0] as Region;

    // Act
    const a = await factory.logs(id, region);
    const b = await factory.logs(id, region);

    // Assess
    expect(b).toBe(a);
    expect(env.aws.ledger.apiCalls()['STS.AssumeRole']).toBe(1);
  });
});
