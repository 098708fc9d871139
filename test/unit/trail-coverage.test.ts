/**
 * Whether a trail logs an account-region's management writes (tasks/lib/trail-coverage.ts): without
 * one no CloudTrail trigger fires there, so `plan` must not call a region covered by a trail that
 * stopped, reads only, logs another region, or belongs to another account.
 */
import { logsManagementWrites, trailLogging, type TrailView } from '../../tasks/lib/trail-coverage';
import type { AccountId, Region } from '../../tasks/lib/domain';

const ACCOUNT = '123456789012' as AccountId;
const OTHER = '210987654321';
const REGION = 'eu-west-1' as Region;

const trail = (overrides: Partial<TrailView> = {}): TrailView => ({
  arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit`,
  name: 'audit',
  homeRegion: 'us-east-1',
  multiRegion: true,
  organization: false,
  logging: true,
  managementWrites: true,
  ...overrides,
});

describe('the trail that logs an account-region', () => {
  it.each<[string, Partial<TrailView>]>([
    ["the account's own multi-region trail", {}],
    ["the account's single-region trail in the region", { multiRegion: false, homeRegion: REGION }],
    ["the organization's trail, owned by the management account", { organization: true, arn: `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/org` }],
    ['a trail in another partition', { arn: `arn:aws-us-gov:cloudtrail:us-gov-west-1:${ACCOUNT}:trail/audit` }],
  ])('counts %s', (_name, overrides) => {
    // Act
    const found = trailLogging([trail(overrides)], ACCOUNT, REGION);

    // Assess
    expect(found).toEqual(trail(overrides));
  });

  it.each<[string, Partial<TrailView>]>([
    ['a trail that stopped logging', { logging: false }],
    ['a trail that logs no management writes', { managementWrites: false }],
    ['a single-region trail of another region', { multiRegion: false, homeRegion: 'us-east-1' }],
    ["another account's trail that is not the organization's", { arn: `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/audit` }],
    ['a trail whose ARN names the account only in its name', { arn: `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/${ACCOUNT}` }],
    ['a trail whose ARN is not a trail ARN', { arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/audit` }],
  ])('does not count %s', (_name, overrides) => {
    expect(trailLogging([trail(overrides)], ACCOUNT, REGION)).toBeUndefined();
  });

  it('answers the first trail that counts', () => {
    // Prepare
    const stopped = trail({ name: 'stopped', logging: false });
    const first = trail({ name: 'first' });
    const second = trail({ name: 'second' });

    // Act and assess
    expect(trailLogging([stopped, first, second], ACCOUNT, REGION)?.name).toBe('first');
    expect(trailLogging([], ACCOUNT, REGION)).toBeUndefined();
  });
});

describe('whether event selectors log management writes', () => {
  it.each<[string, Parameters<typeof logsManagementWrites>[0], boolean]>([
    ['no selectors at all', {}, false],
    ['a basic selector with the defaults', { EventSelectors: [{}] }, true],
    ['a basic selector for all events', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, true],
    ['a basic selector for writes only', { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }, true],
    ['a basic selector for reads only', { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, false],
    ['a basic selector without management events', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] }, false],
    [
      'a reads-only selector beside one for writes',
      { EventSelectors: [{ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] },
      true,
    ],
    [
      'an advanced selector for management events',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] },
      true,
    ],
    [
      'an advanced selector for management writes',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'an advanced selector for management reads',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      },
      false,
    ],
    ['an advanced selector for data events', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }, false],
    ['an advanced selector without a category', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['false'] }] }] }, false],
    ['an advanced selector without field selectors', { AdvancedEventSelectors: [{}] }, false],
    [
      // A trail has basic or advanced selectors; with advanced ones, the basic ones do not apply.
      'advanced data selectors beside a basic management selector',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }], EventSelectors: [{ ReadWriteType: 'All' }] },
      false,
    ],
    [
      'a reads-only advanced selector beside one for writes',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      },
      true,
    ],
  ])('%s: %s', (_name, selectors, expected) => {
    expect(logsManagementWrites(selectors)).toBe(expected);
  });
});
