/**
 * The permissions reference (docs/permissions.md, `tributary permissions`): every role Tributary
 * deploys, its trust, and every statement of its policies with what needs it, read from the
 * synthesized templates themselves, so that the document cannot drift from the code (a test
 * compares them).
 */
import { App, Stack } from 'aws-cdk-lib';
import type { TributaryConfig } from '../tasks/lib/config';
import { memberRoleGrants, memberRoles, planRoleGrants, planRoleName, planRoleTrust, type Grant } from './member-role-policy';
import { TASK_PERMISSIONS } from './task-permissions';
import { tamperDefenses, tamperPolicyExemptions, tamperPreventionPolicy, TAMPER_PREVENTION_POLICY_NAME } from './tamper-prevention-policy';
import { APP_CONTEXT, addTributaryStacks } from './tributary-app';
import type { TaskName } from '../tasks/registry';

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
const list = (value: Json) =>
  [value]
    .flat()
    .map((v) => `\`${cell(render(v))}\``)
    .join(', ');

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
      const statements = [
        ...(r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement),
        ...attached.flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
      ];
      return {
        stack,
        id,
        name: render(r.Properties.RoleName ?? id),
        description: r.Properties.Description ?? '',
        trust: r.Properties.AssumeRolePolicyDocument.Statement,
        statements,
      };
    });
}

/** The task a role is for: a task's own Lambda role (`tributary-task-<Task>`) or its member role (`<memberRoleName>-<Task>`). */
function taskOf(role: Role, memberRoleName: string): TaskName | undefined {
  const task = (/^tributary-task-(\w+)$/.exec(role.name)?.[1] ??
    (role.name.startsWith(`${memberRoleName}-`) ? role.name.slice(memberRoleName.length + 1) : undefined)) as TaskName | undefined;
  return task && task in TASK_PERMISSIONS ? task : undefined;
}

/** What needs a statement: a task's role is its task's (with why the statement is as it is); other roles say what they are for. */
function neededBy(role: Role, statement: Json, notes: Map<string, string>, memberRoleName: string): string {
  const task = taskOf(role, memberRoleName);
  if (!task) return role.description;
  const note = role.name.startsWith(`${memberRoleName}-`) ? notes.get(statement.Sid) : undefined;
  return [task, note].filter(Boolean).join('. ');
}

/**
 * What each task's credentials can do across the organization, from its own role and its member
 * role: the first thing to read when one task's credentials are stolen.
 */
function blastRadius(config: TributaryConfig): string[] {
  const members = new Map(memberRoles(config, { partition: 'aws', account: '<account>' }).map((role) => [role.task, role.grants] as const));
  const where = (grant: Grant): string => {
    const account = grant.statement.Condition?.StringEquals?.['aws:PrincipalAccount'];
    if (account === config.accounts.logging) return 'the logging account';
    if (config.guardDuty.mode !== 'off' && account === config.guardDuty.administratorAccount) return 'the GuardDuty administrator account';
    if (grant.statement.Resource.some((resource) => resource.includes(`:${config.accounts.logging}:destination:`))) return 'the central destinations';
    return 'every member account';
  };
  const lines = [
    "## Blast radius: what one task's credentials can do",
    '',
    "Each task's Lambda role assumes only its own member role (`<memberRoleName>-<Task>`), which trusts that",
    'Lambda role only. So stolen credentials of one task can do, across the organization, exactly this and no more',
    "(the hub calls are its own role's, the rest its member role's; a test has the simulator refuse every task one",
    'action of every other task that does a different job).',
    '',
    'The hub permissions are those of `infra/task-permissions.ts`, listed per role above.',
    '',
    '| task | in the orchestration account | through its member role |',
    '|---|---|---|',
  ];
  for (const task of (Object.keys(TASK_PERMISSIONS) as TaskName[]).sort()) {
    const grants = members.get(task) ?? [];
    const byPlace = new Map<string, string[]>();
    for (const grant of grants) byPlace.set(where(grant), [...(byPlace.get(where(grant)) ?? []), ...grant.statement.Action]);
    const member = [...byPlace].map(([place, actions]) => `${place}: ${[...new Set(actions)].map((a) => `\`${a}\``).join(', ')}`).join('; ');
    const hub = TASK_PERMISSIONS[task]
      .filter((permission) => permission !== 'assume-member-role')
      .map((permission) => `\`${permission}\``)
      .join(', ');
    const assumes = TASK_PERMISSIONS[task].includes('assume-member-role')
      ? grants.length
        ? member
        : 'its member role grants nothing with this config'
      : 'none: assumes no member role';
    lines.push(`| ${task} | ${hub || 'nothing but its own logs'} | ${cell(assumes)} |`);
  }
  const planActions = [...new Set(planRoleGrants(config, { partition: 'aws', account: '<account>' }).flatMap((grant) => grant.statement.Action))];
  lines.push(
    `| \`tributary plan\` (\`${planRoleName(config)}\`, trusted by \`${planRoleTrust(config, 'aws').principal}\`) | none | every account, reads only: ${cell(planActions.map((a) => `\`${a}\``).join(', '))} |`,
  );
  lines.push('');
  return lines;
}

function templatesOf(config: TributaryConfig): Array<{ stack: string; template: Json }> {
  // Only the policies are read: neither bundling nor CloudFormation's template rules (the deploy's synth runs those).
  const app = new App({ builtinCloudFormationValidation: false, context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stacks = addTributaryStacks(app, config, { checks: false });
  const assembly = app.synth();
  const out: Array<{ stack: string; template: Json }> = [];
  for (const stack of [stacks.archive, ...stacks.pipelines, stacks.orchestration, stacks.organizationEvents, stacks.memberBaseline] as Stack[]) {
    const template = assembly.getStackByName(stack.stackName).template as Json;
    out.push({ stack: stack.stackName, template });
    for (const [id, r] of Object.entries<Json>(template.Resources ?? {})) {
      if (r.Type === 'AWS::CloudFormation::StackSet' && typeof r.Properties?.TemplateBody === 'string')
        out.push({ stack: `${stack.stackName} StackSet ${render(r.Properties.StackSetName ?? id)}`, template: JSON.parse(r.Properties.TemplateBody) });
    }
  }
  return out;
}

/** What tampering the SCP prevents, what the hub repairs, and the SCP itself. */
function tamperPrevention(config: TributaryConfig): string[] {
  const deployed = config.tamperRepair.serviceControlPolicy === 'deploy';
  return [
    '## Tampering: prevented, repaired, or found by the reconcile',
    '',
    `The SCP \`${TAMPER_PREVENTION_POLICY_NAME}\` below denies what cannot be repaired once done to every principal but ${tamperPolicyExemptions(config)
      .map((arn) => `\`${arn}\``)
      .join(', ')}. ` +
      (deployed
        ? 'This config deploys it (`tamperRepair.serviceControlPolicy: "deploy"`): the member baseline stack attaches it to `memberBaselineTargets`.'
        : 'This config only documents it (`tamperRepair.serviceControlPolicy: "document"`): attach it yourself, or set `"deploy"`.') +
      ' SCPs never restrict the management account. The hub repairs a resource at most `tamperRepair.maxRepairsPerHour` times in any hour; past that it alarms (`TamperLeftUnrepaired`) and leaves it.',
    '',
    '| tampering | prevented by the SCP | repaired |',
    '|---|---|---|',
    ...tamperDefenses(config).map((d) => `| ${cell(d.tampering)} | ${cell(d.prevented)} | ${cell(d.repaired)} |`),
    '',
    '```json',
    JSON.stringify(tamperPreventionPolicy(config), null, 2),
    '```',
    '',
    'The archive key and bucket policies have their own SCP (docs/archive-protection.md).',
    '',
  ];
}

export function permissionsReference(config: TributaryConfig): string {
  const notes = new Map(
    memberRoleGrants(config, { partition: 'aws', account: '<account>' })
      .filter((g) => g.note)
      .map((g) => [g.statement.Sid, g.note!] as const),
  );
  const lines = [
    '# Permissions reference',
    '',
    `Generated from the synthesized templates with the config of organization ${config.organizationId} (docs/permissions.md: the committed example, \`npm run docs\`; a test fails when`,
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
      for (const trust of role.trust)
        lines.push(
          `Trusted by: ${list(trust.Principal?.Service ?? trust.Principal?.AWS ?? trust.Principal)}${trust.Condition ? `, when ${conditions(trust.Condition)}` : ''}.`,
        );
      lines.push('', '| statement | actions | resources | conditions | needed by |', '|---|---|---|---|---|');
      for (const statement of role.statements) {
        const why = neededBy(role, statement, notes, config.memberRoleName);
        lines.push(
          `| ${statement.Sid ?? ''} | ${list(statement.Action)} | ${list(statement.Resource)} | ${cell(conditions(statement.Condition))} | ${cell(why)} |`,
        );
      }
      lines.push('');
    }
  }
  lines.push(...blastRadius(config));
  lines.push(...tamperPrevention(config));
  return `${lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n')}`;
}
