/** The member baseline: a service-managed StackSet whose roles allow exactly what the tasks do in member accounts. */
import { testApp } from './test-app';
import { Template } from 'aws-cdk-lib/assertions';
import { readdirSync, readFileSync } from 'fs';
import { ownTmpdir } from '../own-tmpdir';
import { configSchema, EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { addTributaryStacks } from '../../infra/tributary-app';
import { runSimulation } from '../../sim/simulation';
import { memberRoleCallers } from '../../infra/member-role-policy';
import { wildcardActions } from './policies';
import { memberAccountEventsTemplate, memberBaselineTemplate, MemberBaselineStackSetStack } from '../../infra/stacks/member-baseline-stackset-stack';
import { tamperPreventionPolicy } from '../../infra/tamper-prevention-policy';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const stacks = addTributaryStacks(testApp(), config, { checks: false });
const stackSet = Template.fromStack(stacks.memberBaseline);
const member = Template.fromJSON(stacks.memberBaseline.memberTemplate);

function roleActions(roleName: string): string[] {
  const roles = member.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } });
  const [logicalId] = Object.keys(roles);
  const inline = Object.values(roles).flatMap((r: any) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
  const attached = Object.values(member.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === logicalId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached].flatMap((s: any) => [s.Action].flat());
}

describe('member baseline StackSet', () => {
  // Without the checks: the folder is removed in the same `finally` either way, and deployability.test.ts
  // runs the checks, which read their report from the folder before it is removed.
  it('leaves nothing in the temp directory after synthesizing the member templates', () => {
    // Prepare
    const temp = ownTmpdir();
    try {
      // Act
      const templates = [memberBaselineTemplate(config, false), memberAccountEventsTemplate(config, false)];

      // Assess
      expect(templates.map((t) => Object.keys(t.Resources as object).length > 0)).toEqual([true, true]);
      expect(readdirSync(temp.path)).toEqual([]);
    } finally {
      temp.restore();
    }
  });

  it('is service-managed and deploys itself to every account of the configured targets, in one region', () => {
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'tributary-member-baseline',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: config.memberBaselineTargets }, Regions: [config.homeRegion] }],
    });
    expect(stacks.memberBaseline.account).toBe(config.accounts.management);
  });

  it("forwards each member's own region opt-in changes from its us-east-1 to the hub bus, through a second StackSet", () => {
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'tributary-member-account-events',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: config.memberBaselineTargets }, Regions: ['us-east-1'] }],
    });
    const accountEvents = Template.fromJSON(stacks.memberBaseline.accountEventsTemplate);
    accountEvents.resourceCountIs('AWS::Events::Rule', 1);
    accountEvents.hasResourceProperties('AWS::Events::Rule', {
      Name: 'tributary-account-events-to-hub',
      EventPattern: { source: ['aws.account'], 'detail-type': ['Region Opt-In Status Change'] },
      Targets: [
        {
          Arn: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/tributary-hub`]],
          },
        },
      ],
    });
    // No IAM in us-east-1: the roles are global and come from the baseline.
    accountEvents.resourceCountIs('AWS::IAM::Role', 0);
  });

  it("deploys one member role per task that works in member accounts, each trusted by that task's own role only, inside the organization", () => {
    const tasks = memberRoleCallers();
    const roles = Object.values(member.findResources('AWS::IAM::Role')).filter((r: any) =>
      String(r.Properties.RoleName).startsWith(`${config.memberRoleName}-`),
    ) as any[];
    expect(roles.map((r) => r.Properties.RoleName).sort()).toEqual([...tasks, 'Plan'].map((task) => `${config.memberRoleName}-${task}`).sort());
    for (const role of roles.filter((r) => r.Properties.RoleName !== `${config.memberRoleName}-Plan`)) {
      const task = String(role.Properties.RoleName).slice(config.memberRoleName.length + 1);
      const [trust, ...more] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(more).toEqual([]);
      expect(JSON.stringify(trust.Principal)).toContain(`:iam::${config.accounts.orchestration}:root`);
      expect(trust.Condition.ArnLike).toBeUndefined();
      expect(trust.Condition.ArnEquals['aws:PrincipalArn']).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${config.accounts.orchestration}:role/tributary-task-${task}`]],
      });
      expect(trust.Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': config.organizationId });
    }
  });

  it('deploys the read-only plan role, trusted by the orchestration account inside the organization', () => {
    const [plan] = Object.values(member.findResources('AWS::IAM::Role', { Properties: { RoleName: `${config.memberRoleName}-Plan` } })) as any[];
    const [trust] = plan.Properties.AssumeRolePolicyDocument.Statement;
    expect(JSON.stringify(trust.Principal)).toContain(`:iam::${config.accounts.orchestration}:root`);
    expect(trust.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': config.organizationId } });
    expect(roleActions(`${config.memberRoleName}-Plan`).filter((action) => !/^[a-z0-9-]+:(Describe|List|Get)/.test(action))).toEqual([]);
  });

  it('gives each service role only its delivery: logs to the destination, events to the hub bus, flow logs to their group', () => {
    expect(roleActions('TributaryLogsDelivery')).toEqual(['logs:PutLogEvents']);
    expect(roleActions('TributaryEventForwarding')).toEqual(['events:PutEvents']);
    expect(roleActions('TributaryFlowLogsDelivery').sort()).toEqual(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']);
    const [forwarding] = Object.values(member.findResources('AWS::IAM::Role', { Properties: { RoleName: 'TributaryEventForwarding' } })) as any[];
    expect(JSON.stringify(forwarding.Properties.Policies)).toContain(`:${config.accounts.orchestration}:event-bus/tributary-hub`);
  });

  it('grants no "*" action', () => {
    expect(wildcardActions(member)).toEqual([]);
    expect(wildcardActions(stackSet)).toEqual([]);
  });

  it('allows every call the tasks make in member accounts, and grants no action they never use', async () => {
    // Act: the whole story, in both destination modes, records every call by Service.Operation
    const calls = new Set<string>();
    for (const destinationAccess of ['organization', 'account-list'] as const) {
      const report = await runSimulation({ size: { accounts: 2, logGroupsPerRegion: 6, vpcsPerRegion: 1 }, destinationAccess });
      for (const op of Object.keys(report.apiCalls)) calls.add(op);
    }
    const prefix: Record<string, string> = { CloudWatchLogs: 'logs', EC2: 'ec2', EventBridge: 'events', GuardDuty: 'guardduty' };
    // Not the member roles': the hub's tamper events (its own role), and the member's people leaving GuardDuty in the story.
    const notMemberRoles = new Set(['EventBridge.PutEvents', 'GuardDuty.DisassociateFromAdministratorAccount']);
    const used = [...calls]
      .filter((op) => prefix[op.split('.')[0]!] && !notMemberRoles.has(op))
      .map((op) => `${prefix[op.split('.')[0]!]}:${op.split('.')[1]}`);

    // Assess
    const granted = [...new Set(memberRoleCallers().flatMap((task) => roleActions(`${config.memberRoleName}-${task}`)))];
    expect(used.filter((action) => !granted.includes(action))).toEqual([]);
    // Granted but not called in this story: PassRole and tags go with the calls that use them, the
    // service-linked role with the first detector; account policies in account-policy mode, the
    // organization configuration in GuardDuty organization mode; deleting our stale flow logs,
    // listing a rule's targets and creating the flow-log group, only when those already exist or not.
    const implied = new Set([
      'iam:PassRole',
      'ec2:CreateTags',
      'iam:CreateServiceLinkedRole',
      'logs:DescribeAccountPolicies',
      'logs:PutAccountPolicy',
      'guardduty:DescribeOrganizationConfiguration',
      'guardduty:UpdateOrganizationConfiguration',
      'ec2:DeleteFlowLogs',
      'events:ListTargetsByRule',
      'logs:CreateLogGroup',
      // Offboarding with removeWiring only.
      'logs:DeleteSubscriptionFilter',
      'events:RemoveTargets',
      'events:DeleteRule',
    ]);
    expect(granted.filter((action) => !used.includes(action) && !implied.has(action))).toEqual([]);
  });
});

describe('member role names', () => {
  it('fit IAM for the longest allowed prefix, and a longer prefix is refused naming the field', () => {
    // Prepare
    const longest = Math.max(...memberRoleCallers().map((task) => task.length));
    const raw = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));

    // Act
    const fits = configSchema.safeParse({ ...raw, memberRoleName: 'R'.repeat(64 - 1 - longest) });
    const tooLong = configSchema.safeParse({ ...raw, memberRoleName: 'R'.repeat(65 - 1 - longest) });

    // Assess
    expect(fits.success).toBe(true);
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues).toEqual([
      expect.objectContaining({ path: ['memberRoleName'], message: expect.stringContaining('<memberRoleName>-<Task>, at most 64') }),
    ]);
  });
});

describe('the tamper-prevention SCP in the member baseline stack', () => {
  const accountList = loadConfig(`${__dirname}/../../infra/config/tributary.account-list.example.json`);

  it('is attached to the baseline targets when the config deploys it, with the generated policy', () => {
    const template = Template.fromStack(
      new MemberBaselineStackSetStack(testApp(), 'Baseline', {
        config: accountList,
        checks: false,
        env: { account: accountList.accounts.management, region: accountList.homeRegion },
      }),
    );
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'tributary-tamper-prevention',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: accountList.memberBaselineTargets,
      Content: tamperPreventionPolicy(accountList),
    });
  });

  it('is only documented by default', () => {
    expect(config.tamperRepair.serviceControlPolicy).toBe('document');
    stackSet.resourceCountIs('AWS::Organizations::Policy', 0);
  });
});
