/**
 * The permissions reference (docs/permissions.md, `tributary permissions`): every role Tributary
 * deploys, its trust, and every statement of its policies with what needs it, read from the
 * synthesized templates themselves, so that the document cannot drift from the code (a test
 * compares them).
 */
import { App, Stack } from 'aws-cdk-lib';
import type { TributaryConfig } from './config/schema';
import { memberRoleGrants } from './member-role-policy';
import { TASK_PERMISSIONS } from './task-permissions';
import { APP_CONTEXT, addTributaryStacks } from './tributary-app';
import type { TaskName } from '../workflows/catalog';

type Json = any;

/** A template value as text: the partition as `aws`, the account as `<account>`, other references by name. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(', ');
  if (value && typeof value === 'object') {
    if (value.Ref === 'AWS::Partition') return 'aws';
    if (value.Ref === 'AWS::AccountId') return '<account>';
    if (value.Ref === 'AWS::Region') return '<region>';
    if (typeof value.Ref === 'string') return `<${value.Ref}>`;
    if (value['Fn::GetAtt']) return `<${[value['Fn::GetAtt']].flat()[0]}>`;
    if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(render).join(value['Fn::Join'][0]);
    if (value['Fn::ImportValue'] || value['Fn::GetStackOutput']) return '<imported>';
    return JSON.stringify(value);
  }
  return String(value);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const list = (value: Json) => [value].flat().map((v) => `\`${cell(render(v))}\``).join(', ');

function conditions(condition: Json): string {
  if (!condition) return '';
  return Object.entries<Record<string, Json>>(condition)
    .flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => `${operator} \`${key}\` ${list(values)}`))
    .join('; ');
}

interface Role {
  readonly stack: string;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly trust: Json[];
  readonly statements: Json[];
}

function rolesOf(stack: string, template: Json): Role[] {
  const resources = Object.entries<Json>(template.Resources ?? {});
  return resources
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([id, r]) => {
      const attached = resources.filter(([, p]) => p.Type === 'AWS::IAM::Policy' && [p.Properties.Roles].flat().some((ref: Json) => ref?.Ref === id));
      const statements = [...(r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement), ...attached.flatMap(([, p]) => p.Properties.PolicyDocument.Statement)];
      return { stack, id, name: render(r.Properties.RoleName ?? id), description: r.Properties.Description ?? '', trust: r.Properties.AssumeRolePolicyDocument.Statement, statements };
    });
}

/** What needs a statement: the member role's grants name their tasks; a task role is its task's; other roles say what they are for. */
function neededBy(role: Role, statement: Json, memberUse: Map<string, readonly string[]>, memberRoleName: string): string {
  if (role.name === memberRoleName) return (memberUse.get(statement.Sid) ?? []).join(', ');
  const task = /^tributary-task-(\w+)$/.exec(role.name)?.[1] as TaskName | undefined;
  if (task && task in TASK_PERMISSIONS) return task;
  return role.description;
}

function templatesOf(config: TributaryConfig): Array<{ stack: string; template: Json }> {
  const app = new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stacks = addTributaryStacks(app, config, { checks: false });
  const assembly = app.synth();
  const out: Array<{ stack: string; template: Json }> = [];
  for (const stack of [stacks.archive, ...stacks.pipelines, stacks.orchestration, stacks.organizationEvents, stacks.memberBaseline] as Stack[]) {
    const template = assembly.getStackByName(stack.stackName).template as Json;
    out.push({ stack: stack.stackName, template });
    for (const [id, r] of Object.entries<Json>(template.Resources ?? {})) {
      if (r.Type === 'AWS::CloudFormation::StackSet' && typeof r.Properties?.TemplateBody === 'string') out.push({ stack: `${stack.stackName} StackSet ${render(r.Properties.StackSetName ?? id)}`, template: JSON.parse(r.Properties.TemplateBody) });
    }
  }
  return out;
}

export function permissionsReference(config: TributaryConfig): string {
  const memberUse = new Map(memberRoleGrants(config, { partition: 'aws', account: '<account>' }).map((g) => [g.statement.Sid, g.usedBy] as const));
  const notes = new Map(memberRoleGrants(config, { partition: 'aws', account: '<account>' }).filter((g) => g.note).map((g) => [g.statement.Sid, g.note!] as const));
  const lines = [
    '# Permissions reference',
    '',
    'Generated from the synthesized templates with the committed example config (`npm run docs`; a test fails when',
    'this file and the code disagree). Every role Tributary deploys, who may assume it, and every statement of its',
    'policies with the task operations (or the service) that need it. `<account>` is the account the stack is in;',
    'other `<...>` are resources of the same template.',
    '',
  ];
  for (const { stack, template } of templatesOf(config)) {
    const roles = rolesOf(stack, template);
    if (roles.length === 0) continue;
    lines.push(`## ${stack}`, '');
    for (const role of roles) {
      lines.push(`### ${role.name}`, '', role.description ? `${role.description}.` : '', '');
      for (const trust of role.trust) lines.push(`Trusted by: ${list(trust.Principal?.Service ?? trust.Principal?.AWS ?? trust.Principal)}${trust.Condition ? `, when ${conditions(trust.Condition)}` : ''}.`);
      lines.push('', '| statement | actions | resources | conditions | needed by |', '|---|---|---|---|---|');
      for (const statement of role.statements) {
        const why = [neededBy(role, statement, memberUse, config.memberRoleName), notes.get(statement.Sid) && role.name === config.memberRoleName ? notes.get(statement.Sid) : ''].filter(Boolean).join('. ');
        lines.push(`| ${statement.Sid ?? ''} | ${list(statement.Action)} | ${list(statement.Resource)} | ${cell(conditions(statement.Condition))} | ${cell(why)} |`);
      }
      lines.push('');
    }
  }
  lines.push(
    '## The SCP for what IAM cannot scope',
    '',
    '`logs:PutAccountPolicy` supports no resource type and no condition key: whoever holds it can point an',
    'account-wide subscription anywhere. Tributary grants it only in subscription mode `account-policy`. Where it is',
    'granted, deny it by SCP to every principal but the member role (`aws:PrincipalArn`), and the archive key and',
    'bucket policies to all but deployment and the break-glass role (docs/archive-protection.md).',
    '',
  );
  return `${lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n')}`;
}
