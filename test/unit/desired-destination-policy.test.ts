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

  it("holds the lease for the writer's whole life and a margin", () => {
    expect(destinationLeaseMs()).toBe(120_000);
  });
});
