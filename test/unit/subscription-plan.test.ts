import { SUBSCRIPTION_FILTER_NAME } from '../../tasks/lib/ownership';
import { planSubscription, type DesiredFilter, type ExistingFilter } from '../../tasks/lib/subscription-plan';

const desired: DesiredFilter = { destinationArn: 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging', filterPattern: '', roleArn: 'arn:aws:iam::123456789012:role/TributaryLogsDelivery', distribution: 'ByLogStream' };
const ours: ExistingFilter = { filterName: SUBSCRIPTION_FILTER_NAME, ...desired };
const foreign = (filterName: string): ExistingFilter => ({ filterName, destinationArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x', filterPattern: 'ERROR' });

describe('planSubscription', () => {
  it('creates our filter on a group without filters', () => {
    expect(planSubscription([], desired)).toEqual({ kind: 'change', deleteDuplicates: [], put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'create' } });
  });

  it('creates our filter beside one foreign filter', () => {
    expect(planSubscription([foreign('siem')], desired)).toMatchObject({ kind: 'change', put: { reason: 'create' } });
  });

  it('changes nothing when our filter is correct', () => {
    expect(planSubscription([foreign('siem'), ours], desired)).toEqual({ kind: 'in-place' });
  });

  it('reports no slot, naming the foreign filters, when they fill both slots', () => {
    expect(planSubscription([foreign('siem'), foreign('apm')], desired)).toEqual({ kind: 'no-slot', foreignFilters: ['siem', 'apm'] });
  });

  it('updates a stale filter of ours in place, under its existing name', () => {
    const stale = { ...ours, filterName: 'tributary-legacy', filterPattern: 'ERROR' };
    expect(planSubscription([foreign('siem'), stale], desired)).toEqual({ kind: 'change', deleteDuplicates: [], put: { filterName: 'tributary-legacy', reason: 'update' } });
  });

  it('keeps the correct one of two filters of ours and deletes the other, never a foreign one', () => {
    const stale = { ...ours, filterName: 'tributary-legacy', filterPattern: 'ERROR' };
    expect(planSubscription([stale, ours], desired)).toEqual({ kind: 'change', deleteDuplicates: ['tributary-legacy'] });
  });

  it('treats a different delivery role or distribution as stale', () => {
    expect(planSubscription([{ ...ours, roleArn: undefined }], desired)).toMatchObject({ kind: 'change', put: { reason: 'update' } });
    expect(planSubscription([{ ...ours, distribution: 'Random' }], desired)).toMatchObject({ kind: 'change', put: { reason: 'update' } });
  });
});
