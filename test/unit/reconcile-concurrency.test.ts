/** How many accounts a reconcile onboards at once: the Lambda budget over what each account-region holds, within STS's budget. */
import { LAMBDAS_PER_ACCOUNT_REGION, RECONCILE_LAMBDA_BUDGET, reconcileConcurrency, STS_BUDGET_ACCOUNTS } from '../../tasks/list-active-accounts';
import { DISTRIBUTED_MAP_MAX_CONCURRENCY } from '../../workflows/local/quotas';

describe('reconcileConcurrency', () => {
  it.each([
    [1, 480],
    [5, 480],
    [10, 480],
    [17, 313],
    [40, 133],
  ])('with %d governed regions runs %d accounts at once', (regions, accounts) => {
    expect(reconcileConcurrency(regions)).toBe(accounts);
  });

  it('keeps the account-regions at once within the Lambda budget, and the accounts within STS and what a Distributed Map runs', () => {
    for (let regions = 1; regions <= 40; regions++) {
      const accounts = reconcileConcurrency(regions);
      expect(accounts * regions * LAMBDAS_PER_ACCOUNT_REGION).toBeLessThanOrEqual(RECONCILE_LAMBDA_BUDGET);
      expect(accounts).toBeLessThanOrEqual(DISTRIBUTED_MAP_MAX_CONCURRENCY);
      expect(accounts).toBeLessThanOrEqual(STS_BUDGET_ACCOUNTS);
      expect(accounts).toBeGreaterThanOrEqual(1);
    }
  });
});
