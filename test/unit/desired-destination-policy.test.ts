/** The destination policy the intents call for: who is in, who overflows the 5,120-byte limit, and who keeps a place. */
import { desiredPolicy, destinationLeaseMs, type IntentState } from '../../tasks/lib/destination-access';
import { accountsInPolicy, DESTINATION_POLICY_MAX_BYTES } from '../../tasks/lib/destination-policy';

const ARN = 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging';
const account = (i: number) => String(100000000000 + i);
const intents = (entries: Array<[string, 'present' | 'absent']>): IntentState['intents'] =>
  new Map(entries.map(([a, intent], version) => [a, { intent, version: version + 1 }]));

describe('desiredPolicy', () => {
  it('keeps accounts without an intent, adds present ones, removes absent ones, sorted', () => {
    const desired = desiredPolicy(
      ARN,
      [account(3), account(1)],
      intents([
        [account(2), 'present'],
        [account(3), 'absent'],
      ]),
    );
    expect(desired.accounts).toEqual([account(1), account(2)]);
    expect(desired.overflow).toEqual([]);
    expect(accountsInPolicy(desired.policy)).toEqual([account(1), account(2)]);
  });

  it('does not add an account whose only intent is absent', () => {
    expect(desiredPolicy(ARN, [], intents([[account(5), 'absent']])).accounts).toEqual([]);
  });

  it('fills the policy to its byte limit and overflows the rest: accounts already listed first, then in account order', () => {
    // Prepare: 400 accounts cannot fit in 5,120 bytes (about 15 bytes each)
    const listed = [account(399), account(398)];
    const present = intents(Array.from({ length: 400 }, (_, i) => [account(i), 'present']));

    // Act
    const desired = desiredPolicy(ARN, listed, present);

    // Assess
    expect(Buffer.byteLength(desired.policy)).toBeLessThanOrEqual(DESTINATION_POLICY_MAX_BYTES);
    expect(desired.accounts).toEqual(expect.arrayContaining(listed));
    expect(desired.accounts.length + desired.overflow.length).toBe(400);
    const inOrder = desired.accounts.filter((a) => !listed.includes(a));
    expect(inOrder).toEqual(Array.from({ length: inOrder.length }, (_, i) => account(i)));
    expect(desired.overflow[0]).toBe(account(inOrder.length));
    expect(desired.overflow).toEqual([...desired.overflow].sort());
    // One more account would not have fitted.
    expect(desiredPolicy(ARN, [], intents([...desired.accounts, desired.overflow[0]!].map((a) => [a, 'present']))).overflow).toHaveLength(1);
  });

  it('keeps every listed account before any new one whatever their ids, and answers both lists sorted', () => {
    // Prepare: 300 listed accounts with high ids, 100 new ones with lower ids, recorded newest first
    const listed = Array.from({ length: 300 }, (_, i) => account(1000 + i * 7));
    const present = intents([...listed, ...Array.from({ length: 100 }, (_, i) => account(i))].reverse().map((a): [string, 'present'] => [a, 'present']));

    // Act
    const desired = desiredPolicy(ARN, listed, present);

    // Assess
    expect(desired.accounts).toEqual(expect.arrayContaining(listed));
    const added = desired.accounts.filter((a) => !listed.includes(a));
    expect(added).toEqual(Array.from({ length: added.length }, (_, i) => account(i)));
    expect(desired.overflow.length).toBeGreaterThan(0);
    expect(desired.accounts).toEqual([...desired.accounts].sort());
    expect(desired.overflow).toEqual([...desired.overflow].sort());
  });

  it('overflows listed accounts too when they alone do not fit, sorted, and adds no new one', () => {
    // Prepare: 400 listed accounts with high ids, one new with a low id
    const listed = Array.from({ length: 400 }, (_, i) => account(5000 - i));
    const present = intents([[account(1), 'present']]);

    // Act
    const desired = desiredPolicy(ARN, listed, present);

    // Assess
    expect(desired.overflow).toContain(account(1));
    expect(desired.overflow).toEqual([...desired.overflow].sort());
    expect(desired.accounts).toEqual([...desired.accounts].sort());
    expect(desired.accounts).toEqual([...listed].sort().slice(0, desired.accounts.length));
  });

  it('takes a policy of exactly 5,120 bytes, and not one byte more', () => {
    // Prepare: a destination ARN padded so that k accounts make exactly the limit
    const size = (arn: string, k: number) =>
      Buffer.byteLength(desiredPolicy(arn, [], intents(Array.from({ length: k }, (_, i) => [account(i), 'present']))).policy);
    const perCharacter = size(`${ARN}x`, 1) - size(ARN, 1);
    let k = 1;
    while ((DESTINATION_POLICY_MAX_BYTES - size(ARN, k)) % perCharacter !== 0) k++;
    const exact = `${ARN}${'x'.repeat((DESTINATION_POLICY_MAX_BYTES - size(ARN, k)) / perCharacter)}`;
    const all = intents(Array.from({ length: k }, (_, i) => [account(i), 'present']));

    // Act
    const fits = desiredPolicy(exact, [], all);
    const over = desiredPolicy(`${exact}x`, [], all);

    // Assess
    expect(Buffer.byteLength(fits.policy)).toBe(DESTINATION_POLICY_MAX_BYTES);
    expect(fits.overflow).toEqual([]);
    expect(over.overflow).toEqual([account(k - 1)]);
  });

  it("holds the lease for the writer's whole life and a margin", () => {
    expect(destinationLeaseMs()).toBe(120_000);
  });
});
