/**
 * Whether a CloudTrail trail logs an account-region's management write events: without one,
 * EventBridge receives no "AWS API Call via CloudTrail" event there, so no CloudTrail trigger
 * (CreateLogGroup, CreateVpc, tampering) can fire
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
 * The decision is pure; `readTrailCoverage` makes the reads, in the account-region itself, where an
 * organization trail shows as a shadow trail (DescribeTrails includeShadowTrails).
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { toTaskError } from './aws-errors';
import type { AccountId, Region } from './domain';

export interface TrailView {
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly organization: boolean;
  readonly logging: boolean;
  /** Whether its event selectors include management write events. */
  readonly managementWrites: boolean;
}

/** The account that owns a trail, from its ARN. */
function ownerOf(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:(\d{12}):trail\//.exec(arn)?.[1];
}

/** Pure: the first trail that logs `account`'s management writes in `region`, or undefined. */
export function trailLogging(trails: readonly TrailView[], account: AccountId, region: Region): TrailView | undefined {
  return trails.find((t) => t.logging && t.managementWrites && (t.multiRegion || t.homeRegion === region) && (t.organization || ownerOf(t.arn) === account));
}

type Selectors = {
  EventSelectors?: ReadonlyArray<{ ReadWriteType?: string; IncludeManagementEvents?: boolean }>;
  AdvancedEventSelectors?: ReadonlyArray<{ FieldSelectors?: ReadonlyArray<{ Field?: string; Equals?: readonly string[] }> }>;
};

/**
 * Pure: whether event selectors log management write events. Basic selectors: management events on,
 * read-write type All or WriteOnly. Advanced: a selector for the Management category that does not
 * keep read-only events alone; without a `readOnly` field it keeps reads and writes. `Equals` is the
 * only operator those two fields take (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html).
 */
export function logsManagementWrites(selectors: Selectors): boolean {
  if (selectors.AdvancedEventSelectors?.length) {
    return selectors.AdvancedEventSelectors.some((s) => {
      const fields = s.FieldSelectors ?? [];
      const category = fields.find((f) => f.Field === 'eventCategory');
      const readOnly = fields.find((f) => f.Field === 'readOnly')?.Equals ?? [];
      return (category?.Equals ?? []).includes('Management') && !(readOnly.length > 0 && readOnly.every((v) => v === 'true'));
    });
  }
  return (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly');
}

/** The trails that apply to `account`/`region` as it sees them, with their status and selectors. */
export async function readTrails(client: CloudTrailClient, where: string): Promise<TrailView[]> {
  const read = async <T>(what: string, send: () => Promise<T>) =>
    send().catch((error: unknown) => {
      throw toTaskError(error, `${what} ${where}`);
    });
  const { trailList = [] } = await read('cloudtrail:DescribeTrails', () => client.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
  const views: TrailView[] = [];
  for (const trail of trailList) {
    if (!trail.TrailARN) continue;
    const status = await read('cloudtrail:GetTrailStatus', () => client.send(new GetTrailStatusCommand({ Name: trail.TrailARN })));
    const selectors = await read('cloudtrail:GetEventSelectors', () => client.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN })));
    views.push({
      arn: trail.TrailARN,
      name: trail.Name ?? trail.TrailARN,
      homeRegion: trail.HomeRegion ?? '',
      multiRegion: trail.IsMultiRegionTrail === true,
      organization: trail.IsOrganizationTrail === true,
      logging: status.IsLogging === true,
      managementWrites: logsManagementWrites(selectors),
    });
  }
  return views;
}

export async function readTrailCoverage(client: CloudTrailClient, account: AccountId, region: Region): Promise<TrailView | undefined> {
  return trailLogging(await readTrails(client, `${account} ${region}`), account, region);
}
