/**
 * Physical names the stacks give on purpose: resources other regions' stacks must name without a
 * cross-region CloudFormation reference, and the pipeline's own log groups, which the exclusion
 * rules in tasks/lib/ownership.ts recognise by their `tributary-` prefix.
 */
import type { AccountId, Region } from './domain';
import { ORGANIZATION_TRAIL_NAME, OWNED_NAME_PREFIX } from './ownership';

export const STREAM_NAME = `${OWNED_NAME_PREFIX}central-logging`;
export const DELIVERY_STREAM_NAME = `${OWNED_NAME_PREFIX}central-logging`;
export const RECORD_PROCESSOR_NAME = `${OWNED_NAME_PREFIX}record-processor`;

/** The SIEM's Firehose and processor in each governed region (config `siem`): infra/constructs/siem-delivery-stream.ts. */
export const SIEM_DELIVERY_STREAM_NAME = `${OWNED_NAME_PREFIX}siem`;
export const SIEM_PROCESSOR_NAME = `${OWNED_NAME_PREFIX}siem-processor`;

export function siemProcessorRoleName(region: Region): string {
  return `${OWNED_NAME_PREFIX}siem-processor-${region}`;
}

/** Firehose's role in each governed region; the archive bucket lets only these write. */
/** The record processor's role in one region of the logging account: the hub's table lets these read the organization's accounts. */
export function processorRoleName(region: Region): string {
  return `${OWNED_NAME_PREFIX}record-processor-${region}`;
}

export function deliveryRoleName(region: Region): string {
  return `${OWNED_NAME_PREFIX}firehose-delivery-${region}`;
}

/** Every governed region's delivery role, by exact ARN, for the archive's bucket and key policies. */
export function deliveryRoleArns(partition: string, account: AccountId, regions: readonly Region[]): string[] {
  return regions.map((region) => `arn:${partition}:iam::${account}:role/${deliveryRoleName(region)}`);
}

export function archiveBucketName(account: AccountId, homeRegion: Region): string {
  return `${OWNED_NAME_PREFIX}archive-${account}-${homeRegion}`;
}

/** Where the organization trail Tributary creates delivers (config `cloudTrail: "create"`), in the logging account's home region. */
export function organizationTrailBucketName(account: AccountId, homeRegion: Region): string {
  return `${OWNED_NAME_PREFIX}organization-trail-${account}-${homeRegion}`;
}

/** The organization trail's ARN: the management account's, in us-east-1 where the organization events stack creates it. */
export function organizationTrailArn(partition: string, managementAccount: string): string {
  return `arn:${partition}:cloudtrail:us-east-1:${managementAccount}:trail/${ORGANIZATION_TRAIL_NAME}`;
}
