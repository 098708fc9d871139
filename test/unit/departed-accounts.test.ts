/** The departure sweep's decision: wired accounts that are no longer active members, once each, capped per run. */
import { departedAccounts, MAX_DEPARTED_PER_RUN } from '../../tasks/find-departed-accounts';

describe('departedAccounts', () => {
  it('names each wired account that is not an active member once, never the management account, sorted', () => {
    // Act
    const result = departedAccounts(['100000000003', '100000000001', '100000000003', '111111111111', '100000000002'], ['100000000002'], '111111111111');

    // Assess
    expect(result).toEqual({ accounts: ['100000000001', '100000000003'], omitted: 0 });
  });

  it(`offboards at most ${MAX_DEPARTED_PER_RUN} a run and counts the rest`, () => {
    // Prepare
    const wired = Array.from({ length: MAX_DEPARTED_PER_RUN + 7 }, (_, i) => String(200000000000 + i));

    // Act
    const result = departedAccounts(wired, [], '111111111111');

    // Assess
    expect(result.accounts).toHaveLength(MAX_DEPARTED_PER_RUN);
    expect(result.accounts[0]).toBe('200000000000');
    expect(result.omitted).toBe(7);
  });
});
