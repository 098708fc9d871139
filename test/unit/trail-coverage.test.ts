/**
 * Whether a trail logs an account-region's management writes (tasks/lib/trail-coverage.ts): without
 * one no CloudTrail trigger fires there, so `plan` must not call a region covered by a trail that
 * stopped, reads only, logs another region, or belongs to another account.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { logsManagementWrites, readTrailCoverage, readTrails, trailLogging, type TrailView } from '../../tasks/lib/trail-coverage';
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
    ['a trail whose ARN has text before it', { arn: `x-arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit` }],
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
    [
      'an advanced selector for management events, its category named after its readOnly field',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'readOnly', Equals: ['false'] },
              { Field: 'eventCategory', Equals: ['Management'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'an advanced selector for management reads and writes, both named',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true', 'false'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'an advanced selector for management reads, its category named after its readOnly field',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'readOnly', Equals: ['true'] },
              { Field: 'eventCategory', Equals: ['Management'] },
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

/** A CloudTrail client that answers from `trails` (DescribeTrails, GetTrailStatus, GetEventSelectors), or fails `failing`. */
function cloudTrailOf(trails: Record<string, { describe: object; logging?: boolean; selectors?: object }>, failing?: string): CloudTrailClient {
  const send = async (command: object): Promise<unknown> => {
    if (failing && command.constructor.name === failing) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    if (command instanceof DescribeTrailsCommand) {
      expect(command.input).toEqual({ includeShadowTrails: true });
      return { trailList: Object.values(trails).map((t) => t.describe) };
    }
    if (command instanceof GetTrailStatusCommand) return { IsLogging: trails[command.input.Name!]?.logging };
    if (command instanceof GetEventSelectorsCommand) return trails[command.input.TrailName!]?.selectors ?? {};
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { send } as unknown as CloudTrailClient;
}

describe('reading the trails an account-region sees', () => {
  const ORGANIZATION = `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/org`;
  const OWN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/own`;

  it('reads each trail with its status and selectors, and takes what is missing as false', async () => {
    // Prepare
    const client = cloudTrailOf({
      [ORGANIZATION]: {
        describe: { TrailARN: ORGANIZATION, Name: 'org', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true },
        logging: true,
        selectors: { EventSelectors: [{ ReadWriteType: 'All' }] },
      },
      [OWN]: { describe: { TrailARN: OWN }, selectors: { EventSelectors: [{ ReadWriteType: 'ReadOnly' }] } },
      nameless: { describe: { Name: 'no ARN' } },
    });

    // Act
    const views = await readTrails(client, `${ACCOUNT} ${REGION}`);

    // Assess
    expect(views).toEqual([
      { arn: ORGANIZATION, name: 'org', homeRegion: 'us-east-1', multiRegion: true, organization: true, logging: true, managementWrites: true },
      { arn: OWN, name: OWN, homeRegion: '', multiRegion: false, organization: false, logging: false, managementWrites: false },
    ]);
    expect(await readTrailCoverage(client, ACCOUNT, REGION)).toEqual(views[0]);
  });

  it.each(['DescribeTrailsCommand', 'GetTrailStatusCommand', 'GetEventSelectorsCommand'])(
    'names the call and the account-region when %s fails',
    async (failing) => {
      // Prepare
      const client = cloudTrailOf({ [OWN]: { describe: { TrailARN: OWN } } }, failing);

      // Act
      const reading = readTrailCoverage(client, ACCOUNT, REGION);

      // Assess
      await expect(reading).rejects.toMatchObject({
        name: 'AwsRequestRejected',
        message: `cloudtrail:${failing.replace(/Command$/, '')} ${ACCOUNT} ${REGION}: AccessDeniedException: User is not authorized`,
      });
    },
  );
});
