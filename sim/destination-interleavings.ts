/**
 * Randomized interleavings of onboardings and offboardings against one region's account-list
 * destination policy, run through the real tasks' library over the simulator: stalls before calls,
 * Lambdas that die after a write applied or time out, retries as Step Functions makes them. After
 * each run the policy must list exactly the accounts whose latest intent is present.
 */
import type { TaskContext } from '../tasks/lib/context';
import { changeDestinationAccounts, readIntents } from '../tasks/lib/destination-access';
import { accountsInPolicy } from '../tasks/lib/destination-policy';
import type { AccountId, Region } from '../tasks/lib/domain';
import { DESTINATION_NAME } from '../tasks/lib/ownership';
import { createOfflineEnvironment, type OfflineEnvironment } from './environment';
import { lambdaInvocation, type LambdaInvocation } from '../workflows/local/lambda-invocation';
import { memberAccountId } from './scenario';

export interface InterleavingReport {
  readonly runs: number;
  readonly operations: number;
  /** Accounts whose latest intent is present but the policy leaves out, per run. */
  readonly lost: readonly string[];
  /** Accounts the policy lists whose latest intent is absent, per run. */
  readonly kept: readonly string[];
}

const REGION = 'eu-west-1' as Region;
const ACCOUNTS = 6;
const OPERATIONS = 20;

/** One task as Step Functions runs it: each attempt a Lambda invocation stopped at its timeout, then a retry with backoff. */
async function asTask(env: OfflineEnvironment, work: () => Promise<unknown>, random: () => number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const invocation: LambdaInvocation = { terminated: false };
    try {
      await env.clock.deadline(lambdaInvocation.run(invocation, work), 60_000, () => ((invocation.terminated = true), new Error('Lambda.Unknown')));
      return;
    } catch {
      await env.clock.sleep(1_000 + Math.floor(random() * 9_000));
    }
  }
  throw new Error('a task never succeeded in 200 attempts');
}

export async function runDestinationInterleavings(runs: number, seed = 1): Promise<InterleavingReport> {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list', governedRegions: [REGION], homeRegion: REGION } });
  const accounts: AccountId[] = Array.from({ length: ACCOUNTS }, (_, i) => memberAccountId(i));
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  // 5% of calls stall up to 90 s before they are sent; 3% of writes apply and then their Lambda dies.
  env.aws.interceptors.push(async (call) => {
    if (call.service !== 'CloudWatchLogs' && call.service !== 'DynamoDB') return;
    const roll = random();
    if (call.phase === 'before' && roll < 0.05) await env.clock.sleep(Math.floor(random() * 90_000));
    if (call.phase === 'after' && roll > 0.97 && call.operation !== 'GetItem' && call.operation !== 'DescribeDestinations')
      throw new Error('died after the write applied');
  });
  // Straight to the simulated services: a thousand runs through the SDK's own stack would take minutes.
  const clients = {
    dynamo: () => env.aws.directClient('DynamoDB', env.config.accounts.orchestration, env.config.homeRegion),
    logs: async (account: string, region: string) => env.aws.directClient('CloudWatchLogs', account, region),
  };
  const context: TaskContext = { ...env.context, clients: clients as unknown as TaskContext['clients'] };
  const destination = env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!;
  const lost: string[] = [];
  const kept: string[] = [];
  for (let run = 0; run < runs; run++) {
    env.state.accountRegion(env.config.accounts.orchestration, env.config.homeRegion).tables.clear();
    destination.accessPolicy = undefined;
    const operations = Array.from({ length: OPERATIONS }, () => ({
      account: accounts[Math.floor(random() * ACCOUNTS)]!,
      change: random() < 0.6 ? ('add' as const) : ('remove' as const),
      at: Math.floor(random() * 120_000),
    }));
    await env.clock.run(() =>
      Promise.all(
        operations.map((op) => env.clock.sleep(op.at).then(() => asTask(env, () => changeDestinationAccounts(context, REGION, op.account, op.change), random))),
      ),
    );
    const intents = await env.clock.run(() => readIntents(clients.dynamo() as never, REGION));
    const listed = new Set(accountsInPolicy(destination.accessPolicy));
    for (const account of accounts) {
      const latest = intents.intents.get(account)?.intent;
      if (latest === 'present' && !listed.has(account)) lost.push(`run ${run}: ${account}`);
      if (latest !== 'present' && listed.has(account)) kept.push(`run ${run}: ${account}`);
    }
  }
  return { runs, operations: runs * OPERATIONS, lost, kept };
}
