/**
 * `tributary simulate`: builds the default organization, fires its events through routing, runs
 * the workflows offline against the simulator, and reports coverage, calls and integrity.
 */
import pLimit from 'p-limit';
import type { WorkflowName } from '../workflows/catalog';
import type { ExecutionRecord } from '../workflows/local/runner';
import { foreignFiltersChanged, logGroupCoverage, snapshotForeignFilters, type CoverageRow, type LogGroupCoverage } from './coverage';
import { createOfflineEnvironment, type OfflineEnvironment } from './environment';
import { createLogGroupEvent } from './events';
import type { FaultOptions } from './faults';
import { buildOrganization, createScenarioLogGroup, DEFAULT_SIZE, type ScenarioSize } from './scenario';

export interface SimulationOptions {
  /** @default 1 */
  readonly seed?: number;
  /** @default DEFAULT_SIZE */
  readonly size?: Partial<ScenarioSize>;
  /** Fault rates and delays; the seed comes from `seed`. @default none */
  readonly faults?: Partial<Omit<FaultOptions, 'seed'>>;
  /** Executions running at once. @default 32 */
  readonly concurrency?: number;
  /** Called after each execution ends. */
  readonly onProgress?: (progress: { done: number; total: number; failed: number }) => void;
}

export interface SimulationReport {
  readonly seed: number;
  readonly size: ScenarioSize;
  readonly faults: Omit<FaultOptions, 'seed'>;
  readonly coverage: { readonly logGroups: LogGroupCoverage };
  readonly rows: readonly CoverageRow[];
  readonly events: { readonly fired: number; readonly routed: number; readonly unrouted: number };
  readonly executions: { readonly started: number; readonly succeeded: number; readonly failed: number; readonly failures: ReadonlyArray<{ workflow: string; error?: string; cause?: string }> };
  readonly stateTransitions: number;
  readonly apiCalls: Record<string, number>;
  readonly writes: number;
  readonly faultsInjected: Record<string, number>;
  readonly integrity: { readonly foreignFiltersChanged: number; readonly duplicateFilters: number };
}

/** Failed CloudTrail calls that must start nothing (one per account, like a retried deployment). */
const FAILED_CALL_ERROR = 'ResourceAlreadyExistsException';

/** Routes and runs `events` with bounded concurrency. */
export async function fireEvents(env: OfflineEnvironment, events: readonly unknown[], concurrency: number, onDone?: (record: ExecutionRecord) => void): Promise<{ records: ExecutionRecord[]; unrouted: number }> {
  const limit = pLimit(concurrency);
  let unrouted = 0;
  const runs: Array<Promise<ExecutionRecord>> = [];
  for (const event of events) {
    const route = env.router.route(event);
    if (route.workflow === null) {
      unrouted++;
      continue;
    }
    const workflow: WorkflowName = route.workflow;
    runs.push(
      limit(async () => {
        const record = await env.runner.start(workflow, route.input);
        onDone?.(record);
        return record;
      }),
    );
  }
  return { records: await Promise.all(runs), unrouted };
}

export async function runSimulation(options: SimulationOptions = {}): Promise<SimulationReport> {
  const seed = options.seed ?? 1;
  const size: ScenarioSize = { ...DEFAULT_SIZE, ...options.size };
  const env = createOfflineEnvironment({ faults: { ...options.faults, seed } });
  const { accounts, logGroups } = buildOrganization(env, size);

  logGroups.forEach((group, index) => createScenarioLogGroup(env, group, index));
  const before = snapshotForeignFilters(env.state);
  const events: unknown[] = logGroups.map((g) => createLogGroupEvent(g.accountId, g.region, g.logGroupName));
  for (const accountId of accounts) {
    events.push(createLogGroupEvent(accountId, env.config.homeRegion, '/aws/lambda/orders-0', { errorCode: FAILED_CALL_ERROR }));
  }

  let done = 0;
  let failed = 0;
  const total = logGroups.length;
  const { records, unrouted } = await fireEvents(env, events, options.concurrency ?? 32, (record) => {
    done++;
    if (record.status !== 'SUCCEEDED') failed++;
    options.onProgress?.({ done, total, failed });
  });

  const coverage = logGroupCoverage(env.state, env.config, new Set(accounts));
  const { seed: _seed, ...faults } = env.aws.faults.options;
  return {
    seed,
    size,
    faults,
    coverage: { logGroups: coverage.totals },
    rows: coverage.rows,
    events: { fired: events.length, routed: records.length, unrouted },
    executions: {
      started: records.length,
      succeeded: records.filter((r) => r.status === 'SUCCEEDED').length,
      failed: records.filter((r) => r.status !== 'SUCCEEDED').length,
      failures: records.filter((r) => r.status !== 'SUCCEEDED').map((r) => ({ workflow: r.workflow, error: r.error, cause: r.cause })),
    },
    stateTransitions: records.reduce((sum, r) => sum + r.stateTransitions, 0),
    apiCalls: env.aws.ledger.apiCalls(),
    writes: env.aws.ledger.writes,
    faultsInjected: env.aws.ledger.faultsInjected(),
    integrity: { foreignFiltersChanged: foreignFiltersChanged(before, snapshotForeignFilters(env.state)), duplicateFilters: coverage.duplicateFilters },
  };
}
