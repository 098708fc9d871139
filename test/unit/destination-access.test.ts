/**
 * Destination access in account-list mode, function by function, against the simulated logging
 * account and hub table (no workflow): intents recorded with the region's counter, applied under
 * the lease, a hand-edited policy rewritten, accounts that do not fit named, reconcile's intents
 * bounded by its snapshot. The race suites (test/workflows/onboard-region/destination-races.test.ts)
 * interleave these; here each decision is pinned on its own, fast enough to run per mutant.
 */
import { createOfflineEnvironment } from '../../sim/environment';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import {
  applyIntents,
  applyRegionIntents,
  changeDestinationAccounts,
  readDestinationPolicy,
  readIntents,
  reconcileDestinationAccounts,
  recordIntent,
  restoreDestinationPolicy,
} from '../../tasks/lib/destination-access';
import { accountListDestinationPolicy, accountsInPolicy, organizationDestinationPolicy } from '../../tasks/lib/destination-policy';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { withLeaseLock } from '../../tasks/lib/lease-lock';
import { DESTINATION_NAME, destinationArn } from '../../tasks/lib/ownership';
import type { InterceptedCall } from '../../sim/simulated-aws';

const A = '100000000001' as AccountId;
const B = '100000000002' as AccountId;
const C = '100000000003' as AccountId;

function world(mode: 'account-list' | 'organization' = 'account-list') {
  const env = createOfflineEnvironment({ config: { ...loadConfig(EXAMPLE_CONFIG_PATH), destinationAccess: mode } });
  const region = env.config.homeRegion as Region;
  const dynamo = env.context.clients.dynamo();
  const run = <T>(work: () => Promise<T>) => env.clock.run(work);
  const destination = () => env.state.accountRegion(env.config.accounts.logging, region).destinations.get(DESTINATION_NAME)!;
  const listed = () => accountsInPolicy(destination().accessPolicy);
  const puts = () => env.aws.ledger.apiCalls()['CloudWatchLogs.PutDestinationPolicy'] ?? 0;
  const arn = destinationArn(env.config.accounts.logging, region);
  const intentsItem = () =>
    env.state.accountRegion(env.config.accounts.orchestration, env.config.homeRegion).tables.get('tributary-locks')!.get(`pk=destination-access/${region}`)!;
  /** The policy as someone with the logging account's console would leave it: canonical, listing `accounts`. */
  const listByHand = (accounts: string[]) => (destination().accessPolicy = JSON.stringify(accountListDestinationPolicy(arn, accounts as AccountId[])));
  /** The first call matching `match` is refused with an error named `name`, as the SDK shapes a 400. */
  const refuseOnce = (match: (call: InterceptedCall) => boolean, name: string) => {
    let done = false;
    env.aws.interceptors.push((call) => {
      if (done || call.phase !== 'before' || !match(call)) return;
      done = true;
      throw Object.assign(new Error(`refused by the test`), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
    });
  };
  return { env, region, dynamo, run, destination, listed, puts, arn, intentsItem, listByHand, refuseOnce };
}

const intentUpdate = (account: string) => (call: InterceptedCall) =>
  call.operation === 'UpdateItem' && (call.input.ExpressionAttributeNames as Record<string, string> | undefined)?.['#intent'] === `i${account}`;
const appliedUpdate = (call: InterceptedCall) => call.operation === 'UpdateItem' && String(call.input.UpdateExpression).startsWith('SET applied');

describe('recordIntent and readIntents', () => {
  it("counts intents per region and keeps each account's newest, with its version", async () => {
    // Prepare
    const { region, dynamo, run } = world();

    // Act
    const versions = await run(async () => [
      await recordIntent(dynamo, region, A, 'present'),
      await recordIntent(dynamo, region, B, 'present'),
      await recordIntent(dynamo, region, A, 'absent'),
    ]);
    const state = await run(() => readIntents(dynamo, region));

    // Assess
    expect(versions).toEqual([1, 2, 3]);
    expect(state.version).toBe(3);
    expect(state.applied).toBe(0);
    expect(state.overflow).toEqual([]);
    expect([...state.intents.entries()].sort()).toEqual([
      [A, { intent: 'absent', version: 3 }],
      [B, { intent: 'present', version: 2 }],
    ]);
  });

  it("with a reconcile's snapshot, records only over intents no newer than it", async () => {
    // Prepare: A's intent is version 2, after the snapshot (1) was read
    const { region, dynamo, run } = world();
    await run(() => recordIntent(dynamo, region, B, 'present'));
    await run(() => recordIntent(dynamo, region, A, 'present'));

    // Act
    const overNewer = await run(() => recordIntent(dynamo, region, A, 'absent', 1));
    const overOlder = await run(() => recordIntent(dynamo, region, B, 'absent', 1));
    const overNone = await run(() => recordIntent(dynamo, region, C, 'present', 1));

    // Assess
    expect(overNewer).toBeUndefined();
    expect(overOlder).toBe(3);
    expect(overNone).toBe(4);
    const state = await run(() => readIntents(dynamo, region));
    expect(state.intents.get(A)).toEqual({ intent: 'present', version: 2 });
    expect(state.intents.get(B)).toEqual({ intent: 'absent', version: 3 });
  });

  it('ignores attributes that are not an intent of a 12-digit account', async () => {
    // Prepare: someone's stray attributes in the region's item
    const { env, region, dynamo, run } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    const items = env.state.accountRegion(env.config.accounts.orchestration, env.config.homeRegion).tables.get('tributary-locks')!;
    const item = items.get(`pk=destination-access/${region}`)!;
    Object.assign(item, {
      i12345: { S: 'present' },
      i100000000009: { S: 'maybe' },
      ix00000000008: { S: 'present' },
      zi100000000007: { S: 'present' },
      i100000000006z: { S: 'present' },
      i1000000000055: { S: 'present' },
    });

    // Act
    const state = await run(() => readIntents(dynamo, region));

    // Assess
    expect([...state.intents.keys()]).toEqual([A]);
  });

  it('counts an intent without its version, and an item without a counter, as version 0 (an item from before versions)', async () => {
    // Prepare
    const { env, region, dynamo, run } = world();
    env.state
      .accountRegion(env.config.accounts.orchestration, env.config.homeRegion)
      .tables.set(
        'tributary-locks',
        new Map([[`pk=destination-access/${region}`, { pk: { S: `destination-access/${region}` }, [`i${A}`]: { S: 'present' } }]]),
      );

    // Act
    const state = await run(() => readIntents(dynamo, region));

    // Assess
    expect(state).toMatchObject({ version: 0, applied: 0, overflow: [] });
    expect(state.intents.get(A)).toEqual({ intent: 'present', version: 0 });
  });

  it('reads the intents strongly consistent: an intent recorded a moment ago must count', async () => {
    // Prepare
    const { env, region, dynamo, run } = world();
    const reads: unknown[] = [];
    env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'GetItem') reads.push(call.input.ConsistentRead);
    });

    // Act
    await run(() => readIntents(dynamo, region));

    // Assess
    expect(reads).toEqual([true]);
  });

  it('names the call and the region when DynamoDB refuses a read or an intent, and never takes a refusal for a newer intent', async () => {
    // Prepare
    const { region, dynamo, run, refuseOnce } = world();
    refuseOnce((call) => call.operation === 'GetItem', 'AccessDeniedException');
    refuseOnce(intentUpdate(A), 'AccessDeniedException');
    refuseOnce(intentUpdate(B), 'ConditionalCheckFailedException');

    // Act
    const reading = await run(() => readIntents(dynamo, region)).catch((error: unknown) => error);
    const reconciling = await run(() => recordIntent(dynamo, region, A, 'present', 5)).catch((error: unknown) => error);
    const recording = await run(() => recordIntent(dynamo, region, B, 'present')).catch((error: unknown) => error);

    // Assess
    expect(reading).toMatchObject({ message: `dynamodb:GetItem destination intents ${region}: AccessDeniedException: refused by the test` });
    expect(reconciling).toMatchObject({ message: `dynamodb:UpdateItem destination intent ${A} ${region}: AccessDeniedException: refused by the test` });
    expect(recording).toMatchObject({ message: `dynamodb:UpdateItem destination intent ${B} ${region}: ConditionalCheckFailedException: refused by the test` });
  });
});

describe('readDestinationPolicy', () => {
  it('finds the destination past a page of foreign ones, and takes no look-alike for it', async () => {
    // Prepare: 60 foreign destinations listed before ours, and one whose name starts with ours
    const { env, region, run, destination } = world();
    const ours = destination();
    const destinations = env.state.accountRegion(env.config.accounts.logging, region).destinations;
    destinations.clear();
    for (let i = 0; i < 60; i++) destinations.set(`a-foreign-${i}`, { ...ours, destinationName: `a-foreign-${i}`, accessPolicy: '{"foreign":true}' });
    destinations.set(DESTINATION_NAME, ours);
    const logs = await env.context.clients.logs(env.config.accounts.logging, region);

    // Act
    const found = await run(() => readDestinationPolicy(logs, region));
    destinations.delete(DESTINATION_NAME);
    destinations.set(`${DESTINATION_NAME}-copy`, { ...ours, destinationName: `${DESTINATION_NAME}-copy`, accessPolicy: '{"lookalike":true}' });
    const lookalike = await run(() => readDestinationPolicy(logs, region)).catch((error: unknown) => error);

    // Assess
    expect(found).toBe(ours.accessPolicy);
    expect(lookalike).toMatchObject({ message: expect.stringContaining(`destination ${DESTINATION_NAME} does not exist in ${region}`) });
  });

  it('names the call when CloudWatch Logs refuses the listing', async () => {
    const { env, region, run, refuseOnce } = world();
    refuseOnce((call) => call.operation === 'DescribeDestinations', 'AccessDeniedException');
    const logs = await env.context.clients.logs(env.config.accounts.logging, region);
    await expect(run(() => readDestinationPolicy(logs, region))).rejects.toThrow(
      `logs:DescribeDestinations ${DESTINATION_NAME} ${region}: AccessDeniedException`,
    );
  });
});

describe('applyIntents', () => {
  it('writes the policy the intents call for, records what it applied, and writes nothing the second time', async () => {
    // Prepare
    const { env, region, dynamo, run, listed, puts } = world();
    await run(() => recordIntent(dynamo, region, B, 'present'));
    await run(() => recordIntent(dynamo, region, A, 'present'));

    // Act
    const first = await run(() => applyIntents(env.context, region));
    const second = await run(() => applyIntents(env.context, region));

    // Assess
    expect(first).toMatchObject({ wrote: true, applied: 2, version: 2, overflow: [] });
    expect(second.wrote).toBe(false);
    expect(puts()).toBe(1);
    expect(listed()).toEqual([A, B]);
    expect(await run(() => readIntents(dynamo, region))).toMatchObject({ applied: 2, overflow: [] });
  });

  it('rewrites a policy someone edited by hand, even one that still lists every account', async () => {
    // Prepare
    const { env, region, dynamo, run, destination } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    await run(() => applyIntents(env.context, region));
    const edited = JSON.parse(destination().accessPolicy!) as { Statement: unknown[] };
    edited.Statement.push({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'logs:PutSubscriptionFilter', Resource: '*' });
    destination().accessPolicy = JSON.stringify(edited);

    // Act
    const repaired = await run(() => applyIntents(env.context, region));

    // Assess
    expect(repaired.wrote).toBe(true);
    expect(destination().accessPolicy).not.toContain('"AWS":"*"');
  });

  it('names the call when the policy write or the applied version is refused, and lets a newer applied version stand', async () => {
    // Prepare
    const { env, region, dynamo, run, refuseOnce, intentsItem } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    refuseOnce((call) => call.operation === 'PutDestinationPolicy', 'AccessDeniedException');

    // Act: the write refused; then the applied version refused; then another writer applied a newer version first
    const writing = await run(() => applyIntents(env.context, region)).catch((error: unknown) => error);
    refuseOnce(appliedUpdate, 'AccessDeniedException');
    const recording = await run(() => applyIntents(env.context, region)).catch((error: unknown) => error);
    intentsItem().applied = { N: '9' };
    const behind = await run(() => applyIntents(env.context, region));

    // Assess
    expect(writing).toMatchObject({ message: `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}: AccessDeniedException: refused by the test` });
    expect(recording).toMatchObject({ message: `dynamodb:UpdateItem destination applied ${region}: AccessDeniedException: refused by the test` });
    expect(behind).toMatchObject({ applied: 1, wrote: false });
    expect(intentsItem().applied).toEqual({ N: '9' });
  });

  it('names the missing destination when the data-path stack is not deployed', async () => {
    // Prepare
    const { env, region, run } = world();
    env.state.accountRegion(env.config.accounts.logging, region).destinations.clear();

    // Act
    const applying = run(() => applyIntents(env.context, region));

    // Assess
    await expect(applying).rejects.toThrow(`destination ${DESTINATION_NAME} does not exist in ${region}: deploy the data-path stacks first`);
  });
});

describe('changeDestinationAccounts', () => {
  it('adds, then finds the account already listed without writing, then removes it', async () => {
    // Prepare
    const { env, region, run, listed, puts } = world();

    // Act
    const added = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    const again = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    const removed = await run(() => changeDestinationAccounts(env.context, region, A, 'remove'));

    // Assess
    expect(added).toEqual({ changed: true, accounts: 1 });
    expect(again).toEqual({ changed: false, accounts: 1 });
    expect(removed).toEqual({ changed: true, accounts: 0 });
    expect(puts()).toBe(2);
    expect(listed()).toEqual([]);
  });

  it('adds an account again when someone removed it from the policy by hand', async () => {
    // Prepare
    const { env, region, run, destination, listed } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    const arn = destinationArn(env.config.accounts.logging, region);
    destination().accessPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: [] }, Action: 'logs:PutSubscriptionFilter', Resource: arn }],
    });

    // Act
    const change = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));

    // Assess
    expect(change.changed).toBe(true);
    expect(listed()).toEqual([A]);
  });

  it('returns when another writer holds the lease but its write already covers the intent, and is refused as locked otherwise', async () => {
    // Prepare: the intent of A applied; another writer takes the lease
    const { env, region, dynamo, run } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    let covered: unknown;
    let locked: unknown;

    // Act: while the lease is held, B's intent cannot be applied by this call
    await run(() =>
      withLeaseLock(dynamo, `destination-policy/${region}`, { now: () => env.clock.now(), leaseMs: 120_000 }, async () => {
        covered = await changeDestinationAccounts(env.context, region, A, 'add');
        locked = await changeDestinationAccounts(env.context, region, B, 'add').catch((error: unknown) => error);
      }),
    );

    // Assess
    expect(covered).toEqual({ changed: false, accounts: 1 });
    expect(locked).toMatchObject({ name: 'ResourceLocked' });
    expect((await run(() => readIntents(dynamo, region))).intents.get(B)).toMatchObject({ intent: 'present' });
  });

  it('adds an account whose removal was applied but that someone listed again by hand, so the intent says present', async () => {
    // Prepare
    const { env, region, dynamo, run, listByHand } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    await run(() => changeDestinationAccounts(env.context, region, A, 'remove'));
    listByHand([A]);

    // Act
    const change = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));

    // Assess
    expect(change).toEqual({ changed: true, accounts: 1 });
    expect((await run(() => readIntents(dynamo, region))).intents.get(A)?.intent).toBe('present');
  });

  it('applies an intent recorded but never applied, even when the policy already lists the account', async () => {
    // Prepare: the intent of an earlier caller whose write never came; the account listed by hand
    const { env, region, dynamo, run, listByHand } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    listByHand([A]);

    // Act
    const change = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));

    // Assess
    expect(change.changed).toBe(true);
    expect((await run(() => readIntents(dynamo, region))).applied).toBe(2);
  });

  it('counts only the accounts present, not those removed, when nothing is left to write', async () => {
    // Prepare
    const { env, region, run } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    await run(() => changeDestinationAccounts(env.context, region, B, 'add'));
    await run(() => changeDestinationAccounts(env.context, region, B, 'remove'));

    // Act
    const again = await run(() => changeDestinationAccounts(env.context, region, A, 'add'));

    // Assess
    expect(again).toEqual({ changed: false, accounts: 1 });
  });

  it('returns unchanged when another writer applies its intent between its record and its read', async () => {
    // Prepare: the holder of the lease applies B's intent the moment B's intent is recorded
    const { env, region, dynamo, run, intentsItem, listByHand } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    let change: unknown;
    env.aws.interceptors.push((call) => {
      if (call.phase !== 'after' || !intentUpdate(B)(call)) return;
      intentsItem().applied = { ...intentsItem().v! };
      listByHand([A, B]);
    });

    // Act
    await run(() =>
      withLeaseLock(dynamo, `destination-policy/${region}`, { now: () => env.clock.now(), leaseMs: 120_000 }, async () => {
        change = await changeDestinationAccounts(env.context, region, B, 'add');
      }),
    );

    // Assess
    expect(change).toEqual({ changed: false, accounts: 2 });
  });

  it('returns unchanged when the lease holder covers its intent while it waits for the lease', async () => {
    // Prepare: B's call finds the lease held; the holder applies B's intent before B reads again
    const { env, region, dynamo, run, intentsItem, listByHand } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    let recorded = false;
    let change: unknown;
    env.aws.interceptors.push((call) => {
      if (call.phase === 'after' && intentUpdate(B)(call)) recorded = true;
      const leaseKey = (call.input.Item as { pk?: { S?: string } } | undefined)?.pk?.S;
      if (recorded && call.phase === 'before' && call.operation === 'PutItem' && leaseKey === `destination-policy/${region}`) {
        intentsItem().applied = { ...intentsItem().v! };
        listByHand([A, B]);
      }
    });

    // Act
    await run(() =>
      withLeaseLock(dynamo, `destination-policy/${region}`, { now: () => env.clock.now(), leaseMs: 120_000 }, async () => {
        recorded = false;
        change = await changeDestinationAccounts(env.context, region, B, 'add').catch((error: unknown) => error);
      }),
    );

    // Assess
    expect(change).toEqual({ changed: false, accounts: 2 });
  });

  it('refuses an account that does not fit, naming it, how many do not fit and what to change', async () => {
    // Prepare: accounts up to the policy's 5,120 bytes
    const { env, region, dynamo, run } = world();
    const accounts = Array.from({ length: 400 }, (_, i) => String(200000000000 + i) as AccountId);
    for (const account of accounts) await run(() => recordIntent(dynamo, region, account, 'present'));
    const applied = await run(() => applyIntents(env.context, region));
    const fitting = 400 - applied.overflow.length;

    // Act
    const refused = run(() => changeDestinationAccounts(env.context, region, C, 'add'));

    // Assess
    expect(applied.overflow.length).toBeGreaterThan(0);
    expect(fitting).toBeGreaterThan(100);
    await expect(refused).rejects.toMatchObject({ name: 'DestinationPolicyTooLarge' });
    await expect(refused).rejects.toThrow(
      new RegExp(`cannot list ${applied.overflow.length + 1} account\\(s\\) \\(.*${C}.*\\), ${C} among them: set config.destinationAccess to "organization"`),
    );
  });
});

describe('reconcileDestinationAccounts', () => {
  it("records the organization's truth as intents, leaves newer intents alone, and says whether anything is left to apply", async () => {
    // Prepare: A and B listed; C joined after the snapshot was read
    const { env, region, dynamo, run } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    await run(() => changeDestinationAccounts(env.context, region, B, 'add'));
    const snapshot = (await run(() => readIntents(dynamo, region))).version;
    await run(() => recordIntent(dynamo, region, C, 'present'));

    // Act: the truth listed before C joined: A only
    const result = await run(() => reconcileDestinationAccounts(env.context, region, [A], snapshot));

    // Assess
    expect(result).toEqual({ added: [], removed: [B], apply: true });
    const state = await run(() => readIntents(dynamo, region));
    expect(state.intents.get(B)?.intent).toBe('absent');
    expect(state.intents.get(C)?.intent).toBe('present');
  });

  it('has nothing to apply when the policy, the intents and the truth agree', async () => {
    // Prepare
    const { env, region, run } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));

    // Act
    const result = await run(() => reconcileDestinationAccounts(env.context, region, [A], 1));

    // Assess
    expect(result).toEqual({ added: [], removed: [], apply: false });
  });

  it('adds an account listed in the truth the policy lacks, and applies for a policy edited by hand', async () => {
    // Prepare
    const { env, region, run, destination } = world();
    await run(() => changeDestinationAccounts(env.context, region, A, 'add'));
    destination().accessPolicy = destination().accessPolicy!.replace('"Version":"2012-10-17"', '"Version":"2012-10-17","Id":"edited"');

    // Act
    const withB = await run(() => reconcileDestinationAccounts(env.context, region, [A, B], 1));

    // Assess
    expect(withB).toEqual({ added: [B], removed: [], apply: true });
  });
});

describe('reconcileDestinationAccounts: each reason to apply on its own', () => {
  async function applied(accounts: AccountId[]) {
    const w = world();
    for (const account of accounts) await w.run(() => changeDestinationAccounts(w.env.context, w.region, account, 'add'));
    return w;
  }
  const snapshotOf = async (w: ReturnType<typeof world>) => (await w.run(() => readIntents(w.dynamo, w.region))).version;

  it('an account that joined: added, in account order whatever the order of the truth', async () => {
    const w = await applied([A]);
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [C, A, B], await snapshotOf(w)));
    expect(result).toEqual({ added: [B, C], removed: [], apply: true });
  });

  it('an account that left: removed', async () => {
    const w = await applied([A, B]);
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [A], await snapshotOf(w)));
    expect(result).toEqual({ added: [], removed: [B], apply: true });
  });

  it('an intent recorded and not yet applied, though the policy already matches it', async () => {
    const w = await applied([A]);
    await w.run(() => recordIntent(w.dynamo, w.region, B, 'absent'));
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [A], await snapshotOf(w)));
    expect(result).toEqual({ added: [], removed: [], apply: true });
  });

  it('a policy edited by hand that still lists the right accounts', async () => {
    const w = await applied([A]);
    w.destination().accessPolicy = w.destination().accessPolicy!.replace('"Version":"2012-10-17"', '"Version":"2012-10-17","Id":"edited"');
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [A], await snapshotOf(w)));
    expect(result).toEqual({ added: [], removed: [], apply: true });
  });

  it('accounts that do not fit, even when every intent is newer than the snapshot', async () => {
    // Prepare: 400 accounts applied, some left out for the policy's size; the snapshot older than all
    const w = world();
    const accounts = Array.from({ length: 400 }, (_, i) => String(200000000000 + i) as AccountId);
    for (const account of accounts) await w.run(() => recordIntent(w.dynamo, w.region, account, 'present'));
    const state = await w.run(() => applyIntents(w.env.context, w.region));

    // Act
    const result = await w.run(() => reconcileDestinationAccounts(w.env.context, w.region, accounts, 0));

    // Assess
    expect(state.overflow.length).toBeGreaterThan(0);
    expect(result).toEqual({ added: [], removed: [], apply: true });
  });

  it('an account whose removal was applied, listed again by hand: the intent stands and the write removes it', async () => {
    const w = await applied([A, B]);
    await w.run(() => changeDestinationAccounts(w.env.context, w.region, B, 'remove'));
    w.listByHand([A, B]);
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [A], await snapshotOf(w)));
    expect(result).toEqual({ added: [], removed: [], apply: true });
  });

  it('an account present, removed from the policy by hand: recorded again', async () => {
    const w = await applied([A, B]);
    w.listByHand([B]);
    const result = await w.run(async () => reconcileDestinationAccounts(w.env.context, w.region, [A, B], await snapshotOf(w)));
    expect(result).toEqual({ added: [A], removed: [], apply: true });
  });

  it('nothing, for a policy from before intents that lists exactly the truth', async () => {
    const w = world();
    w.listByHand([A, B]);
    const result = await w.run(() => reconcileDestinationAccounts(w.env.context, w.region, [A, B], 0));
    expect(result).toEqual({ added: [], removed: [], apply: false });
  });
});

describe('applyRegionIntents and restoreDestinationPolicy', () => {
  it('fails the region naming the accounts that do not fit', async () => {
    // Prepare
    const { env, region, dynamo, run } = world();
    for (let i = 0; i < 400; i++) await run(() => recordIntent(dynamo, region, String(200000000000 + i), 'present'));

    // Act
    const applying = run(() => applyRegionIntents(env.context, region));

    // Assess
    await expect(applying).rejects.toThrow(
      /holds at most 5120 bytes; \d+ account\(s\) do not fit \(2000000003\d\d, .*\): set config.destinationAccess to "organization"/,
    );
  });

  it('says whether it wrote when every account fits', async () => {
    const { env, region, dynamo, run } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    expect(await run(() => applyRegionIntents(env.context, region))).toBe(true);
    expect(await run(() => applyRegionIntents(env.context, region))).toBe(false);
  });

  it("in organization mode, restores the stack's policy after someone rewrote it, and leaves it when intact", async () => {
    // Prepare
    const { env, region, run, destination } = world('organization');
    const deployed = destination().accessPolicy;
    destination().accessPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'logs:*', Resource: '*' }],
    });

    // Act
    const restored = await run(() => restoreDestinationPolicy(env.context, region));
    const again = await run(() => restoreDestinationPolicy(env.context, region));

    // Assess
    expect(restored).toBe(true);
    expect(again).toBe(false);
    expect(JSON.parse(destination().accessPolicy!)).toEqual(
      organizationDestinationPolicy(destinationArn(env.config.accounts.logging, region), env.config.organizationId),
    );
    expect(JSON.parse(destination().accessPolicy!)).toEqual(JSON.parse(deployed!));
    const logs = await env.context.clients.logs(env.config.accounts.logging, region);
    expect(await run(() => readDestinationPolicy(logs, region))).toBe(destination().accessPolicy);
  });

  it('names the call when the repair of an organization-mode policy is refused', async () => {
    const { env, region, run, destination, refuseOnce } = world('organization');
    destination().accessPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    refuseOnce((call) => call.operation === 'PutDestinationPolicy', 'AccessDeniedException');
    await expect(run(() => restoreDestinationPolicy(env.context, region))).rejects.toThrow(
      `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}: AccessDeniedException`,
    );
  });

  it('in account-list mode, restores the policy the intents call for', async () => {
    // Prepare
    const { env, region, dynamo, run, destination, listed } = world();
    await run(() => recordIntent(dynamo, region, A, 'present'));
    await run(() => applyIntents(env.context, region));
    destination().accessPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [] });

    // Act
    const restored = await run(() => restoreDestinationPolicy(env.context, region));

    // Assess
    expect(restored).toBe(true);
    expect(listed()).toEqual([A]);
  });
});
