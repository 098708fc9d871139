/** Every policy document a template holds: IAM policies, key policies, resource policies, destination policies. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface FoundPolicy {
  readonly where: string;
  readonly document: { Statement: Array<Record<string, any>> };
}

export function policyDocuments(template: Template): FoundPolicy[] {
  const docs: FoundPolicy[] = [];
  for (const [id, r] of Object.entries<Record<string, any>>(template.toJSON().Resources)) {
    const p = r.Properties ?? {};
    if (p.PolicyDocument) docs.push({ where: id, document: p.PolicyDocument });
    if (p.KeyPolicy) docs.push({ where: id, document: p.KeyPolicy });
    if (typeof p.DestinationPolicy === 'string') docs.push({ where: id, document: JSON.parse(p.DestinationPolicy) });
    for (const inline of p.Policies ?? []) docs.push({ where: id, document: inline.PolicyDocument });
  }
  return docs;
}

/** Actions that are `*` or `service:*` in Allow statements. */
export function wildcardActions(template: Template): string[] {
  return policyDocuments(template).flatMap(({ where, document }) =>
    document.Statement.filter((s) => s.Effect !== 'Deny').flatMap((s) => [s.Action].flat().filter((a: string) => a === '*' || /:\*$/.test(a)).map((a: string) => `${where}: ${a}`)),
  );
}
