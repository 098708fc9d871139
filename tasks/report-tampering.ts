/**
 * Task `ReportTampering` (workflow `repair-tampering`, after the repair): what the tamper call
 * undid and how it ended. When something of Tributary's had been undone, the repair is counted
 * against the hourly bound, a `Tributary Tamper Detected` event naming the principal and the
 * resource goes on the hub bus for the SOC, and the `TamperDetected` metric is raised; a tamper left
 * unrepaired also raises `TamperLeftUnrepaired`. A call that undid nothing of ours (a team deleting
 * its own flow log) reports nothing.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { LOCK_TABLE_NAME } from './lib/lease-lock';
import { publishMetric } from './lib/metrics';
import { hubBusArn, ORGANIZATION_TRAIL_NAME } from './lib/ownership';
import type { TributaryConfig } from './lib/config';
import {
  FAILING_OUTCOMES,
  parseTamperCall,
  REPAIR_WINDOW_MS,
  repairsInWindow,
  repairTimes,
  resourceHash,
  repairVerdict,
  tamperRecordKey,
  TAMPER_EVENT_DETAIL_TYPE,
  TAMPER_EVENT_SOURCE,
  TAMPER_METRICS,
  type TamperCall,
  type TamperOutcome,
} from './lib/tampering';

export interface TamperReport {
  readonly outcome: TamperOutcome;
  /** Whether the execution must fail so that the workflow's alarm sees it. */
  readonly fail: boolean;
  readonly tamper: TamperCall;
  readonly repairsThisHour: number;
  readonly detail: string;
}

/** What the outcome depends on in the config. */
export type OutcomeConfig = Pick<TributaryConfig, 'cloudTrail'> & { readonly accounts: Pick<TributaryConfig['accounts'], 'logging'> };

/**
 * The trail Tributary relies on, changed in the management account: Tributary holds no role there
 * (a standing write role in the management account would be a larger risk than the repair is worth),
 * so a person restarts or restores it.
 */
function trailOutcome(call: TamperCall, config: OutcomeConfig): { outcome: TamperOutcome; detail: string } {
  const ours = call.resource === ORGANIZATION_TRAIL_NAME || call.resource.endsWith(`:trail/${ORGANIZATION_TRAIL_NAME}`);
  if (config.cloudTrail === 'create' && !ours) return { outcome: 'intact', detail: `not ${ORGANIZATION_TRAIL_NAME}` };
  const fix =
    call.eventName === 'StopLogging'
      ? `start it again in the management account: aws cloudtrail start-logging --name ${call.resource} --region ${call.region}`
      : config.cloudTrail === 'create'
        ? 'redeploy TributaryOrganizationEvents'
        : 'check that a trail still logs every governed region: npx tributary plan';
  return { outcome: 'not-repairable', detail: `${call.eventName} on the trail CloudTrail triggers depend on: ${fix}` };
}

/** Pure: the outcome of one tamper call, from the bound and the repair's result. */
export function tamperOutcome(
  call: TamperCall,
  bound: { repair: boolean },
  repair: unknown,
  config: OutcomeConfig,
): { outcome: TamperOutcome; detail: string } {
  if (call.kind === 'trail') return trailOutcome(call, config);
  if (call.kind === 'detector-suspended') {
    return {
      outcome: 'not-repairable',
      detail: `re-enable it in ${call.accountId}: aws guardduty update-detector --detector-id ${call.resource} --enable --region ${call.region} (no Tributary role holds UpdateDetector, which could also suspend detectors)`,
    };
  }
  if (call.kind === 'destination') {
    // Only the logging account's destinations are ours.
    if (call.accountId !== config.accounts.logging) return { outcome: 'intact', detail: 'not the logging account: not our destination' };
    // The one destination writer restores a policy; the destination itself (its stream, its role) is the pipeline stack's.
    if (call.eventName !== 'PutDestinationPolicy')
      return {
        outcome: 'not-repairable',
        detail: `${call.eventName}: the destination is the pipeline stack's: redeploy TributaryPipeline-${call.region} (the SCP prevents this call)`,
      };
  }
  if (!bound.repair) return { outcome: 'left-unrepaired', detail: 'repaired as often as tamperRepair.maxRepairsPerHour allows this hour: left to a person' };
  const verdict = repairVerdict(call.kind, repair);
  if (verdict === 'failed') return { outcome: 'repair-failed', detail: `the repair failed: ${JSON.stringify(repair).slice(0, 500)}` };
  return verdict === 'repaired' ? { outcome: 'repaired', detail: 'repaired' } : { outcome: 'intact', detail: "nothing of Tributary's was missing" };
}

export async function reportTampering(input: unknown, context: TaskContext): Promise<TamperReport> {
  const call = parseTamperCall(input);
  const bound = field(input, 'bound') as { repair?: unknown; repairsThisHour?: unknown } | undefined;
  if (typeof bound?.repair !== 'boolean') throw new InvalidInputError('bound', bound, 'must be the result of CheckTamperBound');
  const { outcome, detail } = tamperOutcome(call, { repair: bound.repair }, field(input, 'repair'), context.config);
  let repairsThisHour = Number(bound.repairsThisHour ?? 0);
  if (outcome === 'repaired') {
    const key = tamperRecordKey(call, resourceHash);
    const now = context.clock.now();
    // The item outlives the window; DynamoDB's TTL removes it once the tug of war is over.
    const expires = Math.floor((now + 2 * REPAIR_WINDOW_MS) / 1000);
    const { Attributes } = await context.clients
      .dynamo()
      .send(
        new UpdateItemCommand({
          TableName: LOCK_TABLE_NAME,
          Key: { pk: { S: key } },
          UpdateExpression: 'ADD repairs :now SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': { SS: [String(now)] }, ':ttl': { N: String(expires) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      .catch((error: unknown) => {
        throw toTaskError(error, `dynamodb:UpdateItem ${key}`);
      });
    repairsThisHour = repairsInWindow(repairTimes(Attributes as Record<string, { SS?: string[] }> | undefined), now);
  }
  const report: TamperReport = { outcome, fail: FAILING_OUTCOMES.has(outcome), tamper: call, repairsThisHour, detail };
  if (outcome === 'intact') return report;
  const { config } = context;
  const { FailedEntryCount, Entries } = await context.clients
    .hubEvents()
    .send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: hubBusArn(config.accounts.orchestration, config.homeRegion),
            Source: TAMPER_EVENT_SOURCE,
            DetailType: TAMPER_EVENT_DETAIL_TYPE,
            Resources: [],
            Detail: JSON.stringify({ ...call, outcome, repairsThisHour, detail }),
          },
        ],
      }),
    )
    .catch((error: unknown) => {
      throw toTaskError(error, 'events:PutEvents (tamper event)');
    });
  if (FailedEntryCount)
    throw Object.assign(new Error(`PutEvents refused the tamper event: ${JSON.stringify(Entries)}`), { name: Entries?.[0]?.ErrorCode ?? 'PutEventsFailed' });
  const dimensions = { Kind: call.kind };
  publishMetric(context, 'tampering', { name: TAMPER_METRICS.detected, value: 1, unit: 'Count', dimensions }, { ...call, outcome });
  if (report.fail)
    publishMetric(context, 'tampering left unrepaired', { name: TAMPER_METRICS.leftUnrepaired, value: 1, unit: 'Count', dimensions }, { ...call, outcome });
  return report;
}

export const handler = lambdaHandler(reportTampering);
