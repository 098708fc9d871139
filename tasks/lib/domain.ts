/**
 * Domain types, validated once at the boundary (events, workflow input, config) and trusted after.
 */
import { InvalidInputError } from './errors';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AccountId = Brand<string, 'AccountId'>;
export type Region = Brand<string, 'Region'>;
export type LogGroupName = Brand<string, 'LogGroupName'>;
export type OrganizationId = Brand<string, 'OrganizationId'>;
export type VpcId = Brand<string, 'VpcId'>;
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * The partition a region belongs to: every ARN Tributary builds names it, and an organization lives
 * in one (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 */
export function partitionOf(region: Region): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Commercial, GovCloud and China regions. Kept by hand: the SDK embeds its partition table only
 * inside bundled code. Add a region here when AWS launches one.
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
]);

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** CloudWatch Logs: 1-512 characters of [.\-_/#A-Za-z0-9] (CreateLogGroup API reference). */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function parseAccountId(value: unknown, field = 'accountId'): AccountId {
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    throw new InvalidInputError(field, value, 'is not an AWS account id (12 digits)');
  }
  return value as AccountId;
}

export function parseRegion(value: unknown, field = 'region'): Region {
  if (typeof value !== 'string' || !KNOWN_REGIONS.has(value)) {
    throw new InvalidInputError(field, value, 'is not a known AWS region');
  }
  return value as Region;
}

export function isLogGroupName(value: unknown): value is LogGroupName {
  return typeof value === 'string' && LOG_GROUP_NAME.test(value);
}

export function parseLogGroupName(value: unknown, field = 'logGroupName'): LogGroupName {
  if (typeof value !== 'string' || !LOG_GROUP_NAME.test(value)) {
    throw new InvalidInputError(field, value, 'is not a valid log group name (1-512 characters of A-Z a-z 0-9 . - _ / #)');
  }
  return value as LogGroupName;
}

export function parseOrganizationId(value: unknown, field = 'organizationId'): OrganizationId {
  if (typeof value !== 'string' || !ORGANIZATION_ID.test(value)) {
    throw new InvalidInputError(field, value, 'is not an organization id (o- followed by 10-32 lowercase letters or digits)');
  }
  return value as OrganizationId;
}

const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export function parseVpcId(value: unknown, field = 'vpcId'): VpcId {
  if (typeof value !== 'string' || !VPC_ID.test(value)) throw new InvalidInputError(field, value, 'is not a VPC id (vpc- then 8 or 17 hex digits)');
  return value as VpcId;
}

/** The value of JSON text from outside (a member's policy, a token), or undefined when the text is not JSON. */
export function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The object JSON text from outside holds, or undefined when it is not JSON or not an object (null and lists are not). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  const value = jsonValue(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads a required field of an untyped object (an event, a workflow input). */
export function field(input: unknown, name: string): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError('input', input, 'must be a JSON object');
  }
  return (input as Record<string, unknown>)[name];
}
