import { SUBSCRIPTION_FILTER_NAME } from '../../tasks/lib/ownership';
import { planSubscription, type DesiredFilter, type ExistingFilter } from '../../tasks/lib/subscription-plan';

const desired: DesiredFilter = {
  destinationArn: 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging',
  filterPattern: '',
  roleArn: 'arn:aws:iam::123456789012:role/TributaryLogsDelivery',
  distribution: 'ByLogStream',
};
const ours: ExistingFilter = { filterName: SUBSCRIPTION_FILTER_NAME, ...desired };
const foreign = (filterName: string): ExistingFilter => ({
  filterName,
  destinationArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
  filterPattern: 'ERROR',
});

describe('planSubscription', () => {
  it('creates our filter on a group without filters', () => {
    expect(planSubscription([], desired)).toEqual({ kind: 'change', put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'create' } });
  });

  it('creates our filter beside one foreign filter', () => {
    expect(planSubscription([foreign('siem')], desired)).toMatchObject({ kind: 'change', put: { reason: 'create' } });
  });

  it('reads a filter without a distribution as ByLogStream, the default CloudWatch Logs reports', () => {
    const { distribution: _, ...withoutDistribution } = ours;
    expect(planSubscription([withoutDistribution], desired)).toEqual({ kind: 'in-place' });
    expect(planSubscription([withoutDistribution], { ...desired, distribution: 'Random' })).toMatchObject({ kind: 'change', put: { reason: 'update' } });
  });

  it('updates our filter when only its pattern differs (someone narrowed what it forwards)', () => {
    expect(planSubscription([{ ...ours, filterPattern: '{ $.level = "ERROR" }' }], desired)).toEqual({
      kind: 'change',
      put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'update' },
    });
  });

  it('changes nothing when our filter is correct', () => {
    expect(planSubscription([foreign('siem'), ours], desired)).toEqual({ kind: 'in-place' });
  });

  it('reports no slot, naming the foreign filters, when they fill both slots', () => {
    expect(planSubscription([foreign('siem'), foreign('apm')], desired)).toEqual({ kind: 'no-slot', foreignFilters: ['siem', 'apm'] });
  });

  it('updates a stale filter of ours in place, under its canonical name', () => {
    const stale = { ...ours, destinationArn: 'arn:aws:logs:eu-west-1:999999999999:destination:legacy' };
    expect(planSubscription([foreign('siem'), stale], desired)).toEqual({ kind: 'change', put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'update' } });
  });

  it("owns only the exact name: a team's tributary-audit is never updated, a team's tributary-siem-copy never deleted", () => {
    const audit = foreign('tributary-audit');
    const siemCopy = { ...foreign('tributary-siem-copy'), destinationArn: desired.destinationArn };
    expect(planSubscription([audit], desired)).toEqual({ kind: 'change', put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'create' } });
    expect(planSubscription([siemCopy, ours], desired)).toEqual({ kind: 'in-place' });
    expect(planSubscription([audit, siemCopy], desired)).toEqual({ kind: 'no-slot', foreignFilters: ['tributary-audit', 'tributary-siem-copy'] });
  });

  it('treats a different delivery role or distribution as stale', () => {
    expect(planSubscription([{ ...ours, roleArn: undefined }], desired)).toMatchObject({ kind: 'change', put: { reason: 'update' } });
    expect(planSubscription([{ ...ours, distribution: 'Random' }], desired)).toMatchObject({ kind: 'change', put: { reason: 'update' } });
  });
});
