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
import { InvalidEventSelectorsException, InvalidHomeRegionException, TrailNotFoundException } from '@aws-sdk/client-cloudtrail';
import type { SimOrganizationState, SimTrail } from '../state';
import type { CallContext, OperationHandler } from './context';

const meta = { $metadata: {} };

/** Whether a trail logs `account`'s management write events in `region` (what EventBridge needs). */
export function cloudTrailLogs(state: SimOrganizationState, account: string, region: string): boolean {
  // Asked at every call: the trails are walked, not copied.
  for (const t of state.trails.values()) {
    if (
      t.logging &&
      (t.managementEvents === 'All' || t.managementEvents === 'WriteOnly') &&
      (t.isMultiRegionTrail || t.homeRegion === region) &&
      (t.isOrganizationTrail ? state.account(account) !== undefined : t.account === account)
    )
      return true;
  }
  return false;
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
    if (trail.advancedSelectors) return { TrailARN: trail.arn, AdvancedEventSelectors: trail.advancedSelectors };
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

  /**
   * Basic or advanced selectors, not both; advanced ones replace basic ones
   * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html): the
   * management events they keep. Only the management-event fields are modelled.
   */
  PutEventSelectors(input, ctx) {
    const trail = owned(ctx, input.TrailName);
    if (input.EventSelectors !== undefined && input.AdvancedEventSelectors !== undefined)
      throw new InvalidEventSelectorsException({
        ...meta,
        message: 'Specify either event selectors or advanced event selectors in your PutEventSelectors request, but not both.',
      });
    if (input.AdvancedEventSelectors !== undefined) {
      const selectors = input.AdvancedEventSelectors as AdvancedSelector[];
      trail.managementEvents = keptManagementEvents(selectors.map(advancedManagementEvents));
      trail.advancedSelectors = selectors;
      return { TrailARN: trail.arn, AdvancedEventSelectors: selectors };
    }
    const selectors = (input.EventSelectors ?? []) as Array<{ ReadWriteType?: string; IncludeManagementEvents?: boolean }>;
    trail.managementEvents = keptManagementEvents(
      selectors.map((s) => (s.IncludeManagementEvents === false ? 'None' : ((s.ReadWriteType ?? 'All') as SimTrail['managementEvents']))),
    );
    delete trail.advancedSelectors;
    return { TrailARN: trail.arn, EventSelectors: selectors };
  },
};

type AdvancedSelector = NonNullable<SimTrail['advancedSelectors']>[number];

/** What several selectors keep together: reads and writes are all of them. */
function keptManagementEvents(each: ReadonlyArray<SimTrail['managementEvents']>): SimTrail['managementEvents'] {
  if (each.includes('All') || (each.includes('ReadOnly') && each.includes('WriteOnly'))) return 'All';
  return each.find((kept) => kept !== 'None') ?? 'None';
}

/**
 * The management events one advanced selector keeps: those of the Management category, and of
 * them the read-only or the write ones when `readOnly` says which (`Equals` is the only operator
 * those two fields take: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html).
 */
function advancedManagementEvents(selector: AdvancedSelector): SimTrail['managementEvents'] {
  const field = (name: string) => selector.FieldSelectors?.find((f) => f.Field === name)?.Equals ?? [];
  if (!field('eventCategory').includes('Management')) return 'None';
  const readOnly = field('readOnly');
  if (readOnly.length === 0 || (readOnly.includes('true') && readOnly.includes('false'))) return 'All';
  return readOnly.includes('true') ? 'ReadOnly' : 'WriteOnly';
}
