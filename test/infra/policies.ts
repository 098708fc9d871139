/** Every policy document a template holds: IAM policies, key policies, resource policies, destination policies. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface FoundPolicy {
  readonly where: string;
  readonly document: { Statement: Array<Record<string, any>> };
}

/**
 * A template value with `{"Fn::Join": ["", [...]]}` over plain strings and `{"Ref": "AWS::Partition"}`
 * folded into its string, the partition read as `partition`: what the value is on AWS.
 */
export function inPartition(value: unknown, partition = 'aws'): any {
  if (Array.isArray(value)) return value.map((v) => inPartition(v, partition));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record.Ref === 'AWS::Partition') return partition;
  const join = record['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) {
    const parts = join[1].map((p) => inPartition(p, partition));
    if (parts.every((p) => typeof p === 'string')) return parts.join(join[0]);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, inPartition(v, partition)]));
}

export function policyDocuments(template: Template): FoundPolicy[] {
  const docs: FoundPolicy[] = [];
  for (const [id, r] of Object.entries<Record<string, any>>(template.toJSON().Resources)) {
    const p = r.Properties ?? {};
    if (p.PolicyDocument) docs.push({ where: id, document: p.PolicyDocument });
    if (p.KeyPolicy) docs.push({ where: id, document: p.KeyPolicy });
    const destinationPolicy = inPartition(p.DestinationPolicy);
    if (typeof destinationPolicy === 'string') docs.push({ where: id, document: JSON.parse(destinationPolicy) });
    for (const inline of p.Policies ?? []) docs.push({ where: id, document: inline.PolicyDocument });
  }
  return docs;
}

/** Actions that are `*` or `service:*` in Allow statements. */
export function wildcardActions(template: Template): string[] {
  return policyDocuments(template).flatMap(({ where, document }) =>
    document.Statement.filter((s) => s.Effect !== 'Deny').flatMap((s) =>
      [s.Action]
        .flat()
        .filter((a: string) => a === '*' || /:\*$/.test(a))
        .map((a: string) => `${where}: ${a}`),
    ),
  );
}
