/**
 * The policies a synthesized CloudFormation template deploys, read as AWS would hold them once
 * deployed: intrinsic functions resolved to the names and ARNs CloudFormation gives, so the
 * offline world decides requests with the very statements the stacks deploy, never a second copy.
 */
import type { PolicyDocument } from './policy-decision';

type Resource = { readonly Type: string; readonly Properties?: Record<string, any> };
export interface CloudFormationTemplate {
  readonly Resources: Record<string, Resource>;
}

export interface DeployedTemplate {
  readonly template: CloudFormationTemplate;
  readonly account: string;
  readonly region: string;
  /** Templates this one references across stacks (exports, cross-region references), by the export's `FnGetAtt<LogicalId>Arn`. */
  readonly references?: readonly DeployedTemplate[];
}

/** A cross-stack reference (`Fn::ImportValue`, or CDK's cross-region exports reader) to another template's `Fn::GetAtt X.Arn`. */
function crossStackArn(deployed: DeployedTemplate, name: string): string {
  const logicalId = /FnGetAtt([A-Za-z0-9]+?)Arn/.exec(name)?.[1];
  const owner = logicalId && deployed.references?.find((other) => logicalId in other.template.Resources);
  return owner ? physical(owner, logicalId).arn : `<unresolved ${name}>`;
}

/** What a resource's `Ref` and `Fn::GetAtt Arn` give: its physical name when the template fixes one, else its logical id. */
function physical(deployed: DeployedTemplate, logicalId: string): { ref: string; arn: string } {
  const { template, account, region } = deployed;
  const resource = template.Resources[logicalId];
  const p = resource?.Properties ?? {};
  const named = (property: string) => (typeof p[property] === 'string' ? (p[property] as string) : logicalId);
  switch (resource?.Type) {
    case 'AWS::IAM::Role':
      return { ref: named('RoleName'), arn: `arn:aws:iam::${account}:role/${named('RoleName')}` };
    case 'AWS::S3::Bucket':
      return { ref: named('BucketName'), arn: `arn:aws:s3:::${named('BucketName')}` };
    case 'AWS::KMS::Key':
      return { ref: logicalId, arn: `arn:aws:kms:${region}:${account}:key/${logicalId}` };
    case 'AWS::DynamoDB::Table':
      return { ref: named('TableName'), arn: `arn:aws:dynamodb:${region}:${account}:table/${named('TableName')}` };
    case 'AWS::Logs::LogGroup':
      return { ref: named('LogGroupName'), arn: `arn:aws:logs:${region}:${account}:log-group:${named('LogGroupName')}:*` };
    case 'AWS::Kinesis::Stream':
      return { ref: named('Name'), arn: `arn:aws:kinesis:${region}:${account}:stream/${named('Name')}` };
    case 'AWS::Lambda::Function':
      return { ref: named('FunctionName'), arn: `arn:aws:lambda:${region}:${account}:function:${named('FunctionName')}` };
    default:
      return { ref: logicalId, arn: `arn:aws:cloudformation:${region}:${account}:resource/${logicalId}` };
  }
}

/** A template value with its intrinsic functions resolved; what cannot be known offline stays as `<unresolved ...>`. */
export function resolve(deployed: DeployedTemplate, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(deployed, v));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if ('Ref' in record) {
    const ref = String(record.Ref);
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': deployed.region,
      'AWS::AccountId': deployed.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[ref] ?? physical(deployed, ref).ref;
  }
  if ('Fn::GetAtt' in record) {
    const [logicalId, attribute] = record['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return physical(deployed, logicalId).arn;
    return attribute.startsWith('/cdk/exports/') ? crossStackArn(deployed, attribute) : `<unresolved ${logicalId}.${attribute}>`;
  }
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return (resolve(deployed, parts) as unknown[]).map(String).join(separator);
  }
  if ('Fn::ImportValue' in record) return crossStackArn(deployed, String(record['Fn::ImportValue']));
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(deployed, v)]));
}

function resourcesOfType(deployed: DeployedTemplate, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(deployed.template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The logical id of the role named `roleName` (or of logical id `roleName`). */
function roleLogicalId(deployed: DeployedTemplate, roleName: string): string {
  const found = resourcesOfType(deployed, 'AWS::IAM::Role').find(([id, p]) => p.RoleName === roleName || id === roleName);
  if (!found) throw new Error(`template: no role ${roleName}`);
  return found[0];
}

/** Every identity policy of a role: its inline policies and each AWS::IAM::Policy attached to it. */
export function rolePolicies(deployed: DeployedTemplate, roleName: string): PolicyDocument[] {
  const id = roleLogicalId(deployed, roleName);
  const role = deployed.template.Resources[id]!.Properties ?? {};
  const inline = ((role.Policies ?? []) as Array<{ PolicyDocument: unknown }>).map((p) => p.PolicyDocument);
  const attached = resourcesOfType(deployed, 'AWS::IAM::Policy')
    .filter(([, p]) => ((p.Roles ?? []) as unknown[]).some((r) => (r as { Ref?: string }).Ref === id))
    .map(([, p]) => p.PolicyDocument);
  return [...inline, ...attached].map((document) => resolve(deployed, document) as PolicyDocument);
}

export function roleArn(deployed: DeployedTemplate, roleName: string): string {
  return physical(deployed, roleLogicalId(deployed, roleName)).arn;
}

/** The key policy of the key whose logical id starts with `logicalIdPrefix`, and the key's ARN. */
export function keyPolicy(deployed: DeployedTemplate, logicalIdPrefix: string): { arn: string; policy: PolicyDocument } {
  const found = resourcesOfType(deployed, 'AWS::KMS::Key').filter(([id]) => id.startsWith(logicalIdPrefix));
  if (found.length !== 1) throw new Error(`template: ${found.length} keys match ${logicalIdPrefix}`);
  const [id, p] = found[0]!;
  return { arn: physical(deployed, id).arn, policy: resolve(deployed, p.KeyPolicy) as PolicyDocument };
}

/** The bucket policy of the bucket named `bucketName`. */
export function bucketPolicy(deployed: DeployedTemplate, bucketName: string): PolicyDocument {
  const found = resourcesOfType(deployed, 'AWS::S3::BucketPolicy').find(([, p]) => resolve(deployed, p.Bucket) === bucketName);
  if (!found) throw new Error(`template: no bucket policy for ${bucketName}`);
  return resolve(deployed, found[1].PolicyDocument) as PolicyDocument;
}
