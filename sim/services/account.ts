/** AWS Account Management: which regions an account has enabled (asked by the hub for a member). */
import { AccessDeniedException, ResourceNotFoundException } from '@aws-sdk/client-account';
import { KNOWN_REGIONS } from '../../tasks/lib/domain';
import { page, type OperationHandler } from './context';

/**
 * Regions enabled by default in AWS; the others are opt-in. In the simulator an account has
 * exactly the regions it lists, so that a scenario can enable a governed region later.
 */
const DEFAULT_REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
]);

export const account: Record<string, OperationHandler> = {
  /** A member's regions may be listed by the management account or Account Management's delegated administrator only. */
  ListRegions(input, ctx) {
    const forAnother = input.AccountId !== undefined && input.AccountId !== ctx.callerAccount;
    if (
      forAnother &&
      ctx.callerAccount !== ctx.state.managementAccountId &&
      !ctx.state.delegatedAdministrators.get('account.amazonaws.com')?.has(ctx.callerAccount)
    ) {
      throw new AccessDeniedException({
        $metadata: {},
        message: `account ${ctx.callerAccount} is neither the management account nor Account Management's delegated administrator`,
      });
    }
    const target = ctx.state.account(String(input.AccountId ?? ctx.callerAccount));
    if (!target) throw new ResourceNotFoundException({ $metadata: {}, message: `account ${String(input.AccountId)} not found` });
    const wanted = new Set((input.RegionOptStatusContains as string[] | undefined) ?? ['ENABLED', 'ENABLED_BY_DEFAULT', 'DISABLED', 'ENABLING', 'DISABLING']);
    const all = [...KNOWN_REGIONS]
      .filter((r) => !r.startsWith('us-gov-') && !r.startsWith('cn-'))
      .sort()
      .map((RegionName) => ({
        RegionName,
        RegionOptStatus: !target.enabledRegions.has(RegionName as never) ? 'DISABLED' : DEFAULT_REGIONS.has(RegionName) ? 'ENABLED_BY_DEFAULT' : 'ENABLED',
      }))
      .filter((r) => wanted.has(r.RegionOptStatus));
    const { items, nextToken } = page(all, input.NextToken, Math.min(Number(input.MaxResults ?? 50), 50));
    return { Regions: items, NextToken: nextToken };
  },
};
