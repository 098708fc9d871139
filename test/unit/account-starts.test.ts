/** A reconcile's accounts start in slots paced under the organization-wide quotas, and a slot is data a caller chooses. */
import { createOfflineEnvironment } from '../../sim/environment';
import { ACCOUNT_STARTS_PER_SECOND, MAX_START_POSITION, parseStartSlot, startTime } from '../../tasks/lib/account-starts';
import type { AccountId } from '../../tasks/lib/domain';
import { describeMemberAccount } from '../../tasks/describe-member-account';
import { RATE_QUOTAS } from '../../sim/quotas';

const ACCOUNT = '123456789012' as AccountId;
const LISTED_AT = '2026-12-06T22:00:00.000Z';

describe('start slots', () => {
  it('spaces accounts by the rate, from the time the list was read', () => {
    const at = (position: number) => startTime({ listedAt: LISTED_AT, position }) - Date.parse(LISTED_AT);
    expect([0, 1, 2, 3, 4, 5].map(at)).toEqual([0, 250, 500, 750, 1_000, 1_250]);
    expect(at(999)).toBe(249_750);
  });

  it('stays under the tightest organization-wide quota an account start meets', () => {
    const quotas = [RATE_QUOTAS['Account.ListRegions']!, RATE_QUOTAS['Organizations.DescribeAccount']!];
    for (const quota of quotas) expect(ACCOUNT_STARTS_PER_SECOND).toBeLessThan(quota.tps);
  });

  it('has no slot when the input has none (an event or an operator started the onboarding)', () => {
    expect(parseStartSlot({ accountId: ACCOUNT })).toBeUndefined();
  });

  it.each([0, MAX_START_POSITION])('accepts position %p, the first and the last a reconcile may give', (position) => {
    expect(parseStartSlot({ startSlot: { listedAt: LISTED_AT, position } })).toEqual({ listedAt: LISTED_AT, position });
  });

  it('says what each field must be', () => {
    expect(() => parseStartSlot({ startSlot: { listedAt: 'soon', position: 0 } })).toThrow(
      'startSlot.listedAt: "soon" must be the time the accounts were listed, an ISO 8601 timestamp',
    );
    expect(() => parseStartSlot({ startSlot: { listedAt: LISTED_AT, position: -1 } })).toThrow(
      `startSlot.position: -1 must be the account's index in the list, a whole number from 0 to ${MAX_START_POSITION}`,
    );
  });

  it.each([
    ['startSlot.listedAt', { position: 0 }],
    ['startSlot.listedAt', { listedAt: ` ${LISTED_AT}`, position: 0 }],
    ['startSlot.listedAt', { listedAt: '+002026-12-06T22:00:00.000Z', position: 0 }],
    ['startSlot.listedAt', { listedAt: 'yesterday', position: 0 }],
    ['startSlot.listedAt', { listedAt: '', position: 0 }],
    ['startSlot.listedAt', { listedAt: 1_765_000_000_000, position: 0 }],
    ['startSlot.listedAt', { listedAt: '2026-13-45T99:00:00Z', position: 0 }],
    ['startSlot.listedAt', { listedAt: '12/06/2026', position: 0 }],
    ['startSlot.position', { listedAt: LISTED_AT }],
    ['startSlot.position', { listedAt: LISTED_AT, position: -1 }],
    ['startSlot.position', { listedAt: LISTED_AT, position: 1.5 }],
    ['startSlot.position', { listedAt: LISTED_AT, position: '3' }],
    ['startSlot.position', { listedAt: LISTED_AT, position: MAX_START_POSITION + 1 }],
    ['startSlot.position', { listedAt: LISTED_AT, position: Number.POSITIVE_INFINITY }],
  ])('refuses %s in %p, naming the field', (name, startSlot) => {
    expect(() => parseStartSlot({ startSlot })).toThrow(expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(`${name}: `) }));
  });

  it('bounds the longest wait any input can ask for within the reconcile', () => {
    const longest = startTime({ listedAt: LISTED_AT, position: MAX_START_POSITION }) - Date.parse(LISTED_AT);
    expect(longest).toBeLessThan(23 * 3_600_000);
  });
});

describe('DescribeMemberAccount in a reconcile', () => {
  const environment = () => {
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    return env;
  };

  it('before its slot, calls nothing and says when to ask again', async () => {
    // Prepare: the list was read now; position 9 starts 2.25 s later.
    const env = environment();
    const listedAt = new Date(env.clock.now()).toISOString();

    // Act
    const result = await describeMemberAccount({ accountId: ACCOUNT, listedActive: true, startSlot: { listedAt, position: 9 } }, env.context);

    // Assess
    expect(result).toEqual({ accountId: ACCOUNT, waitUntil: new Date(env.clock.now() + 2_250).toISOString() });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('at its slot, describes the account', async () => {
    // Prepare: position 4's slot is exactly 1 s after the list.
    const env = environment();
    const listedAt = new Date(env.clock.now() - 1_000).toISOString();

    // Act
    const result = await describeMemberAccount({ accountId: ACCOUNT, listedActive: true, startSlot: { listedAt, position: 4 } }, env.context);

    // Assess
    expect(result).toMatchObject({ accountId: ACCOUNT, regions: env.config.governedRegions });
    expect(result).not.toHaveProperty('waitUntil');
  });

  it('refuses a slot it cannot read before any call', async () => {
    const env = environment();
    await expect(describeMemberAccount({ accountId: ACCOUNT, startSlot: { listedAt: 'soon', position: 0 } }, env.context)).rejects.toMatchObject({
      name: 'InvalidInput',
    });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });
});
