/**
 * CloudTrail trails: what decides whether EventBridge receives "AWS API Call via CloudTrail" events
 * from an account-region at all (sim/cloudtrail.ts). An account sees its own trails and, as shadow
 * trails, the organization's (DescribeTrails includeShadowTrails,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html). Logging is
 * stopped, started and deleted only by the owner, in the trail's home region (StopLogging:
 * InvalidHomeRegionException elsewhere,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html). Unverified: which error a member gets for an organization
 * trail (modelled as TrailNotFoundException), and that a member may read its status.
 */
import { InvalidHomeRegionException, TrailNotFoundException } from '@aws-sdk/client-cloudtrail';
import type { SimOrganizationState, SimTrail } from '../state';
import type { CallContext, OperationHandler } from './context';

const meta = { $metadata: {} };

/** Whether a trail logs `account`'s management write events in `region` (what EventBridge needs). */
export function cloudTrailLogs(state: SimOrganizationState, account: string, region: string): boolean {
  return [...state.trails.values()].some(
    (t) =>
      t.logging &&
      (t.managementEvents === 'All' || t.managementEvents === 'WriteOnly') &&
      (t.isMultiRegionTrail || t.homeRegion === region) &&
      (t.isOrganizationTrail ? state.account(account) !== undefined : t.account === account),
  );
}

function visible(ctx: CallContext): SimTrail[] {
  return [...ctx.state.trails.values()].filter(
    (t) => (t.account === ctx.callerAccount || t.isOrganizationTrail) && (t.isMultiRegionTrail || t.homeRegion === ctx.region),
  );
}

function find(ctx: CallContext, name: unknown): SimTrail | undefined {
  return visible(ctx).find((t) => t.arn === name || (t.name === name && t.account === ctx.callerAccount));
}

/** A trail the caller may change: its own, from its home region. */
function owned(ctx: CallContext, name: unknown): SimTrail {
  const trail = find(ctx, name);
  if (!trail || trail.account !== ctx.callerAccount)
    throw new TrailNotFoundException({ ...meta, message: `Unknown trail: ${String(name)} for the user: ${ctx.callerAccount}` });
  if (trail.homeRegion !== ctx.region)
    throw new InvalidHomeRegionException({ ...meta, message: `This operation must be called from the trail's home region, ${trail.homeRegion}` });
  return trail;
}

export const cloudTrail: Record<string, OperationHandler> = {
  DescribeTrails(input, ctx) {
    const trails = visible(ctx).filter((t) => input.includeShadowTrails !== false || (t.account === ctx.callerAccount && t.homeRegion === ctx.region));
    return {
      trailList: trails.map((t) => ({
        Name: t.name,
        TrailARN: t.arn,
        HomeRegion: t.homeRegion,
        IsMultiRegionTrail: t.isMultiRegionTrail,
        IsOrganizationTrail: t.isOrganizationTrail,
        LogFileValidationEnabled: true,
      })),
    };
  },

  GetTrailStatus(input, ctx) {
    const trail = find(ctx, input.Name);
    if (!trail) throw new TrailNotFoundException({ ...meta, message: `Unknown trail: ${String(input.Name)}` });
    return { IsLogging: trail.logging };
  },

  GetEventSelectors(input, ctx) {
    const trail = find(ctx, input.TrailName);
    if (!trail) throw new TrailNotFoundException({ ...meta, message: `Unknown trail: ${String(input.TrailName)}` });
    const none = trail.managementEvents === 'None';
    return { TrailARN: trail.arn, EventSelectors: [{ ReadWriteType: none ? 'All' : trail.managementEvents, IncludeManagementEvents: !none }] };
  },

  StopLogging(input, ctx) {
    owned(ctx, input.Name).logging = false;
    return {};
  },

  StartLogging(input, ctx) {
    owned(ctx, input.Name).logging = true;
    return {};
  },

  DeleteTrail(input, ctx) {
    ctx.state.trails.delete(owned(ctx, input.Name).arn);
    return {};
  },

  /** Basic selectors only: the management events they keep. */
  PutEventSelectors(input, ctx) {
    const trail = owned(ctx, input.TrailName);
    const selectors = (input.EventSelectors ?? []) as Array<{ ReadWriteType?: string; IncludeManagementEvents?: boolean }>;
    const management = selectors.filter((s) => s.IncludeManagementEvents !== false).map((s) => s.ReadWriteType ?? 'All');
    trail.managementEvents =
      management.includes('All') || (management.includes('ReadOnly') && management.includes('WriteOnly'))
        ? 'All'
        : ((management[0] as SimTrail['managementEvents'] | undefined) ?? 'None');
    return { TrailARN: trail.arn, EventSelectors: selectors };
  },
};
