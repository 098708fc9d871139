/**
 * The Step Functions client of the operator commands: AWS through the standard credential chain
 * (with --profile and --region), or, with --offline, a simulated organization whose simulator
 * answers the same commands by running the workflows locally.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { causeMessage } from '../workflows/local/runner';
import { LiveProgress } from './progress';
import { fromIni } from '@aws-sdk/credential-providers';
import { configPath, readConfig } from './config-file';
import { createOfflineEnvironment, type OfflineEnvironment } from '../sim/environment';
import { memberAccountId, populateExistingAccount } from '../sim/scenario';
import { stepFunctions } from '../sim/services/stepfunctions';
import type { WorkflowName } from '../workflows/catalog';
import { stateMachineName } from '../workflows/names';
import { KNOWN_REGIONS } from '../tasks/lib/domain';

export interface ConnectionFlags {
  readonly profile?: string;
  readonly region?: string;
  readonly offline?: boolean;
  /** With `offline`: the organization config to simulate. @default TRIBUTARY_CONFIG_FILE, else the committed example */
  readonly config?: string;
}

export interface Connection {
  readonly sfn: SFNClient;
  /** How often to poll a running execution, in ms. */
  readonly pollMs: number;
  /** What the person is connected to, for the first line of output. */
  readonly description: string;
  /** Offline: the simulated organization itself. */
  readonly offline?: OfflineEnvironment;
  /** Now, in ms: the virtual clock offline (nothing offline reads the wall clock), the wall clock in AWS. */
  readonly now: () => number;
}

/** An execution name a person can read back: what it does, and when it started. */
export function executionName(what: string, connection: Pick<Connection, 'now'>): string {
  return `manual-${what}-${connection.now()}`;
}

/** A problem the person can fix: printed as is, exit code 2. */
export class OperatorError extends Error {
  public override readonly name = 'OperatorError';
}

/** Members of the offline organization (`tributary onboard <id> --offline`). */
export const OFFLINE_MEMBERS = 4;

/** The simulated organization the offline commands act on: OFFLINE_MEMBERS members with groups, VPCs and foreign wiring. */
export function offlineOrganization(path?: string, options: { lateRoles?: number } = {}): OfflineEnvironment {
  const env = createOfflineEnvironment({ config: readConfig(configPath(path)) });
  for (let i = 0; i < OFFLINE_MEMBERS; i++) {
    const id = memberAccountId(i);
    env.state.addAccount({ id, name: `member-${i + 1}`, regions: env.config.governedRegions, roleMissingAttempts: options.lateRoles ?? 1 });
    populateExistingAccount(env, id, { logGroupsPerRegion: 12, vpcsPerRegion: 2 });
  }
  return env;
}

export function connect(flags: ConnectionFlags): Connection {
  if (flags.offline) {
    const env = offlineOrganization(flags.config);
    env.aws.addService('SFN', stepFunctions(env.runner));
    const sfn = new SFNClient({ region: env.config.homeRegion, credentials: env.aws.credentialsFor(env.config.accounts.orchestration) });
    env.aws.attach(sfn);
    const ids = Array.from({ length: OFFLINE_MEMBERS }, (_, i) => memberAccountId(i)).join(', ');
    return { sfn, pollMs: 20, description: `offline: a simulated organization with member accounts ${ids}`, offline: env, now: () => env.clock.now() };
  }
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new OperatorError('no AWS region: pass --region or set AWS_REGION to the home region where Tributary is deployed');
  if (!KNOWN_REGIONS.has(region)) throw new OperatorError(`--region: "${region}" is not a known AWS region`);
  const sfn = new SFNClient({ region, ...(flags.profile ? { credentials: fromIni({ profile: flags.profile }) } : {}) });
  return { sfn, pollMs: 2000, description: `AWS ${region}${flags.profile ? ` (profile ${flags.profile})` : ''}`, now: Date.now };
}

/** Turns an SDK failure into something a person can act on. */
export function explain(error: unknown, region: string | undefined): OperatorError | Error {
  const e = error as { name?: string; message?: string };
  if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
    return new OperatorError(`no AWS credentials: log in (aws sso login), set AWS_PROFILE or pass --profile (${e.message})`);
  }
  if (e.name === 'UnrecognizedClientException' || e.name === 'InvalidSignatureException' || e.name === 'ExpiredTokenException') {
    return new OperatorError(`AWS refused the credentials (${e.name}): refresh them or choose another --profile`);
  }
  if (e.name === 'AccessDeniedException') return new OperatorError(`not allowed: ${e.message} (use a role of the orchestration account)`);
  if (e.name === 'StateMachineDoesNotExist')
    return new OperatorError(`Tributary is not deployed in ${region ?? 'this region'}: deploy the TributaryOrchestration stack first`);
  return error as Error;
}

/** The ARN of a workflow's state machine, or a clear error when the stack is not deployed there. */
export async function stateMachineArn(sfn: SFNClient, workflow: WorkflowName): Promise<string> {
  const name = stateMachineName(workflow);
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((m) => m.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new OperatorError(
    `state machine ${name} not found in ${await sfn.config.region()}: deploy the TributaryOrchestration stack there, or pass the home region with --region`,
  );
}

/**
 * Starts `workflow` and follows it to the end, printing each state it enters; a failure is printed
 * with its error and cause. Answers the final execution.
 */
/** What an execution's history says so far: the latest state entered, and Map iterations started and ended. */
export interface ExecutionProgress {
  state: string;
  iterations: number;
  ended: number;
  failed: number;
  lastEventId: number;
}

/** Folds history events (oldest first) into `progress`; the states entered, in order. */
export function followHistory(progress: ExecutionProgress, events: readonly HistoryEvent[]): string[] {
  const entered: string[] = [];
  for (const event of events) {
    if ((event.id ?? 0) <= progress.lastEventId) continue;
    progress.lastEventId = event.id ?? progress.lastEventId;
    const name = event.stateEnteredEventDetails?.name;
    if (name) {
      progress.state = name;
      entered.push(name);
    }
    if (event.type === 'MapStateStarted') progress.iterations += event.mapStateStartedEventDetails?.length ?? 0;
    if (event.type === 'MapIterationSucceeded') progress.ended++;
    if (event.type === 'MapIterationFailed' || event.type === 'MapIterationAborted') {
      progress.ended++;
      progress.failed++;
    }
  }
  return entered;
}

/** The events after `afterId`, oldest first: newest pages are read until one reaches what was seen. */
async function eventsSince(sfn: SFNClient, executionArn: string, afterId: number): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    const events = page.events ?? [];
    fresh.push(...events.filter((e) => (e.id ?? 0) > afterId));
    nextToken = events.some((e) => (e.id ?? 0) <= afterId) ? undefined : page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}

/**
 * Starts `workflow` and follows it to the end. On a terminal one live line shows the state it is
 * in, Map iterations done of those started, their rate and the time; elsewhere each state is
 * printed once as it is entered.
 */
export async function runWorkflow(
  sfn: SFNClient,
  workflow: WorkflowName,
  name: string,
  input: object,
  pollMs: number,
  live: LiveProgress = new LiveProgress(),
): Promise<DescribeExecutionCommandOutput> {
  const arn = await stateMachineArn(sfn, workflow);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
  if (!executionArn) throw new Error(`${workflow}: StartExecution answered no executionArn`);
  console.log(`Started ${executionArn}`);
  const progress: ExecutionProgress = { state: 'starting', iterations: 0, ended: 0, failed: 0, lastEventId: 0 };
  try {
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      const entered = followHistory(progress, await eventsSince(sfn, executionArn, progress.lastEventId));
      if (!live.enabled) for (const state of entered) console.log(`  ... ${state}`);
      const failed = progress.failed ? `, ${progress.failed} failed` : '';
      if (progress.iterations > 0) live.update(progress.state, progress.ended, progress.iterations, `iterations${failed}`);
      else live.update(progress.state, progress.lastEventId, undefined, 'history events');
      if (execution.status !== 'RUNNING') {
        live.end();
        if (execution.status === 'SUCCEEDED') console.log(`SUCCEEDED after ${progress.lastEventId} history events`);
        else console.error(`${workflow} ${execution.status}: ${execution.error ?? ''} ${causeMessage(execution.cause)}`.trim());
        return execution;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    live.end();
  }
}
