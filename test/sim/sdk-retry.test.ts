/**
 * The simulator's retry loop (sim/sdk-retry.ts) against the loop the SDK's own retry middleware
 * runs for a token strategy: the same scripted answers, attempt by attempt, must give a caller the
 * same result, the same metadata, the same calls and the same virtual time.
 */
import { CloudWatchLogsClient, CloudWatchLogsServiceException, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createOfflineEnvironment } from '../../sim/environment';
import { retryLoop, retryTokens } from '../../sim/sdk-retry';
import type { AccountId } from '../../tasks/lib/domain';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

/** What the service answers to one attempt: success, or what it throws. */
type Answer = 'ok' | (() => unknown);

const serviceError =
  (name: string, httpStatusCode: number, fault: 'client' | 'server' = 'client') =>
  () =>
    new CloudWatchLogsServiceException({ name, $fault: fault, $metadata: { httpStatusCode }, message: `${name} (scripted)` });
const throttled = serviceError('ThrottlingException', 400);
const unavailable = serviceError('ServiceUnavailableException', 503, 'server');
const internal = serviceError('InternalFailure', 500, 'server');
const denied = serviceError('AccessDeniedException', 400);
const timedOut = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

interface Outcome {
  readonly result: unknown;
  readonly attemptsSent: number;
  readonly virtualMs: number;
}

/** Runs `calls` sends one after another on one client, the n-th attempt answered by `script(n)`. */
async function run(loop: 'sdk' | 'simulator', calls: number, script: (attempt: number) => Answer, maxAttempts = 3): Promise<Outcome> {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: ACCOUNT, regions: env.config.governedRegions });
  const tokens = retryTokens(env.clock, (n) => ((n * 7) % 10) / 10, { maxAttempts });
  const client = new CloudWatchLogsClient({
    region: REGION,
    credentials: env.aws.credentialsFor(ACCOUNT),
    retryStrategy: loop === 'sdk' ? tokens : retryLoop(tokens),
  });
  env.aws.attach(client);
  let attemptsSent = 0;
  env.aws.interceptors.push((call) => {
    if (call.phase !== 'before') return;
    const answer = script(attemptsSent++);
    if (answer !== 'ok') throw answer();
  });
  const started = env.clock.now();
  const result = await env.clock.run(async () => {
    const results: unknown[] = [];
    for (let i = 0; i < calls; i++) {
      results.push(
        await client.send(new DescribeLogGroupsCommand({})).then(
          (output) => ({ metadata: output.$metadata }),
          (error: Error & { $metadata?: unknown }) => ({ error: `${error.name}: ${error.message}`, metadata: error.$metadata }),
        ),
      );
    }
    return results;
  });
  return { result, attemptsSent, virtualMs: env.clock.now() - started };
}

describe("the simulator's retry loop answers a caller as the SDK's retry middleware does", () => {
  const scripts: Record<string, { calls: number; script: (attempt: number) => Answer; maxAttempts?: number }> = {
    'a call that succeeds': { calls: 1, script: () => 'ok' },
    'a throttled attempt, then success': { calls: 1, script: (n) => (n === 0 ? throttled : 'ok') },
    'throttled past the last attempt': { calls: 1, script: () => throttled },
    'throttled past five attempts': { calls: 1, script: () => throttled, maxAttempts: 5 },
    'a transient error (503), then success': { calls: 1, script: (n) => (n === 0 ? unavailable : 'ok') },
    'a connection reset, then success': { calls: 1, script: (n) => (n === 0 ? timedOut : 'ok') },
    'a server error (500) that is not transient': { calls: 1, script: () => internal },
    'a client error, never retried': { calls: 1, script: () => denied },
    'a thrown string': { calls: 1, script: () => () => 'not an error' },
    'a thrown plain object': { calls: 1, script: () => () => ({ name: 'Odd', message: 'a plain object' }) },
    // 500 tokens, 5 a throttled retry, one back per success: the quota runs dry within the run.
    'a retry quota drained by many throttled calls': { calls: 150, script: (n) => (n % 3 === 2 ? 'ok' : throttled), maxAttempts: 3 },
    'a retry quota drained by transient errors, then refilled': { calls: 80, script: (n) => (n < 100 ? unavailable : 'ok'), maxAttempts: 3 },
  };

  it.each(Object.entries(scripts))('%s', async (_, { calls, script, maxAttempts }) => {
    // Act
    const sdk = await run('sdk', calls, script, maxAttempts);
    const simulator = await run('simulator', calls, script, maxAttempts);

    // Assess
    expect(simulator).toEqual(sdk);
    expect(sdk.attemptsSent).toBeGreaterThanOrEqual(calls);
  });

  it('retries a throttled call after a delay on the virtual clock, reporting each attempt', async () => {
    // Act
    const { result, attemptsSent, virtualMs } = await run('simulator', 1, (n) => (n < 2 ? throttled : 'ok'));

    // Assess
    expect(result).toEqual([{ metadata: expect.objectContaining({ attempts: 3, totalRetryDelay: 0 }) }]);
    expect(attemptsSent).toBe(3);
    expect(virtualMs).toBeGreaterThan(0);
  });
});
