/** How many accounts a reconcile onboards at once: the Lambda budget over what each account-region holds. */
import { LAMBDAS_PER_ACCOUNT_REGION, RECONCILE_LAMBDA_BUDGET, reconcileConcurrency } from '../../tasks/list-active-accounts';
import { DISTRIBUTED_MAP_MAX_CONCURRENCY } from '../../workflows/local/quotas';

describe('reconcileConcurrency', () => {
  it.each([
    [1, 3200],
    [5, 640],
    [10, 320],
    [17, 188],
  ])('with %d governed regions runs %d accounts at once', (regions, accounts) => {
    expect(reconcileConcurrency(regions)).toBe(accounts);
  });

  it('keeps the account-regions at once within the Lambda budget, and the accounts within what a Distributed Map runs', () => {
    for (let regions = 1; regions <= 40; regions++) {
      const accounts = reconcileConcurrency(regions);
      expect(accounts * regions * LAMBDAS_PER_ACCOUNT_REGION).toBeLessThanOrEqual(RECONCILE_LAMBDA_BUDGET);
      expect(accounts).toBeLessThanOrEqual(DISTRIBUTED_MAP_MAX_CONCURRENCY);
      expect(accounts).toBeGreaterThanOrEqual(1);
    }
  });
});
