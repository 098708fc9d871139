/**
 * Task `CheckTamperBound` (workflow `repair-tampering`): whether the resource a call undid may be
 * repaired once more this hour. A resource undone again and again (someone's IaC pipeline, an
 * attacker) is repaired up to `tamperRepair.maxRepairsPerHour`, then left to a person with an alarm,
 * so that the hub and the member do not fight forever. Reads only; `ReportTampering` counts.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { lambdaHandler } from './lib/lambda';
import { LOCK_TABLE_NAME } from './lib/lease-lock';
import { parseTamperCall, repairsInWindow, repairTimes, resourceHash, tamperRecordKey, withinBound } from './lib/tampering';

export interface TamperBoundResult {
  readonly repair: boolean;
  readonly repairsThisHour: number;
  readonly bound: number;
}

export async function checkTamperBound(input: unknown, context: TaskContext): Promise<TamperBoundResult> {
  const call = parseTamperCall(input);
  const key = tamperRecordKey(call, resourceHash);
  const bound = context.config.tamperRepair.maxRepairsPerHour;
  const { Item } = await context.clients
    .dynamo()
    .send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: key } }, ConsistentRead: true }))
    .catch((error: unknown) => {
      throw toTaskError(error, `dynamodb:GetItem ${key}`);
    });
  const repairsThisHour = repairsInWindow(repairTimes(Item), context.clock.now());
  return { repair: withinBound(repairsThisHour, bound), repairsThisHour, bound };
}

export const handler = lambdaHandler(checkTamperBound);
