/**
 * The orchestration stack is the catalog deployed, not a second copy of it: rules, input
 * mappings, ASL placeholders and task functions all come from the catalog and the asl/ files.
 */
import { testApp } from './test-app';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { addTributaryStacks } from '../../infra/tributary-app';
import { taskEnvironment } from '../../infra/constructs/task-function';
import { CATALOG } from '../../workflows/catalog';
import { allStates, ASL_DIR, placeholdersOf, readDefinition, taskStates } from '../../workflows/local/definition';
import { wildcardActions } from './policies';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE } from '../../tasks/lib/metrics';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const app = testApp();
const template = Template.fromStack(addTributaryStacks(app, config, { checks: false }).orchestration);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** An input transformer back to the catalog's mapping: `<name>` placeholders become their `$.paths`. */
function mappingOf(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }): unknown {
  const text = transformer.InputTemplate.replace(/<([\w-]+)>/g, (_m, name: string) => JSON.stringify(transformer.InputPathsMap[name]));
  return JSON.parse(text);
}

describe('orchestration stack: one source of truth', () => {
  // The trigger rules (the departures forwarded to the archive have their own test).
  const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern && r.Properties.Name !== 'tributary-forward-departures-to-archive');

  it("has one rule per catalog trigger, with the catalog pattern (organization events pinned to the management account, tampering by anyone but Tributary's member roles), on the hub bus", () => {
    const triggers = CATALOG.flatMap((w) => w.triggers.map((t) => ({ workflow: w.name, trigger: t })));
    expect(rules).toHaveLength(triggers.length);
    for (const { trigger } of triggers) {
      const rule = rules.find(([, r]) => r.Properties.Name === `tributary-${trigger.id}`);
      expect(rule).toBeDefined();
      const notTributary = {
        arn: [
          {
            'anything-but': {
              wildcard: [
                `arn:aws:sts::*:assumed-role/${config.memberRoleName}-*`,
                'arn:aws:sts::*:assumed-role/stacksets-exec-*',
                'arn:aws:sts::*:assumed-role/cdk-*-cfn-exec-role-*',
              ],
            },
          },
        ],
      };
      const pinned = trigger.origin === 'organization' ? { ...trigger.eventPattern, account: [config.accounts.management] } : trigger.eventPattern;
      const expected = trigger.tamper ? { ...pinned, detail: { ...(trigger.eventPattern.detail as object), userIdentity: notTributary } } : pinned;
      expect(rule![1].Properties.EventPattern).toEqual(expected);
      expect(rule![1].Properties.EventBusName).toBeDefined();
    }
  });

  it('maps each event to the workflow input exactly as the catalog does, with retries and a dead-letter queue', () => {
    for (const spec of CATALOG) {
      for (const trigger of spec.triggers) {
        const [, rule] = rules.find(([, r]) => r.Properties.Name === `tributary-${trigger.id}`)!;
        const [target] = rule.Properties.Targets;
        expect(mappingOf(target.InputTransformer)).toEqual(trigger.input);
        expect(target.Arn).toEqual({ Ref: expect.stringMatching(new RegExp(`^${spec.name.replace(/-/g, '')}StateMachine`)) });
        expect(target.DeadLetterConfig).toEqual({ Arn: expect.anything() });
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 });
      }
    }
  });

  it('starts reconcile on its daily schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { Name: 'tributary-reconcile-schedule', ScheduleExpression: 'rate(1 day)' });
  });

  it('substitutes every ASL placeholder, each function placeholder with a function of this template', () => {
    const functions = new Set(ofType('AWS::Lambda::Function').map(([id]) => id));
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(CATALOG.length);
    for (const spec of CATALOG) {
      const raw = readFileSync(resolve(ASL_DIR, spec.aslFile), 'utf8');
      const [, machine] = machines.find(([, m]) => m.Properties.StateMachineName === `tributary-${spec.name}`)!;
      expect(machine.Properties.DefinitionString).toBe(raw);
      expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(placeholdersOf(raw).sort());
      for (const [placeholder, value] of Object.entries<any>(machine.Properties.DefinitionSubstitutions)) {
        if (placeholder.endsWith('FunctionArn')) expect(functions.has(value['Fn::GetAtt'][0])).toBe(true);
        else expect(JSON.stringify(value)).toMatch(/stateMachine:tributary-[a-z-]+"/);
      }
    }
  });

  it('calls every function through the optimized Lambda integration, by a placeholder of this template', () => {
    for (const [, machine] of ofType('AWS::StepFunctions::StateMachine')) {
      const definition = JSON.parse(machine.Properties.DefinitionString) as Record<string, unknown>;
      const tasks = allStates(definition).filter(([, state]) => state.Type === 'Task');
      const calls = tasks.filter(([, state]) => !String(state.Resource).startsWith('arn:aws:states:::states:startExecution'));
      expect(calls.length).toBeGreaterThan(0);
      for (const [stateName, state] of calls) {
        const parameters = state.Parameters as Record<string, unknown> | undefined;
        expect({ stateName, resource: state.Resource, functionName: parameters?.FunctionName }).toEqual({
          stateName,
          resource: 'arn:aws:states:::lambda:invoke',
          functionName: expect.stringMatching(/^\$\{\w+FunctionArn\}$/),
        });
      }
    }
  });

  it('deploys one task Lambda per catalog task: nodejs22.x, arm64, JSON logs, no config in its environment (it is in the bundle)', () => {
    const tasks = new Set(CATALOG.flatMap((w) => w.tasks));
    const functions = ofType('AWS::Lambda::Function').filter(([, f]) => String(f.Properties.FunctionName ?? '').startsWith('tributary-'));
    expect(functions.map(([, f]) => f.Properties.FunctionName).sort()).toEqual([...tasks].map((t) => `tributary-${t}`).sort());
    for (const [, f] of functions) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], LoggingConfig: { LogFormat: 'JSON' } });
      expect(f.Properties.Environment.Variables).toEqual(taskEnvironment(f.Properties.FunctionName.replace(/^tributary-/, '')));
    }
  });

  it('logs ALL execution events of Standard workflows and the errors of Express ones to a KMS-encrypted log group, with X-Ray tracing', () => {
    for (const spec of CATALOG) {
      const [, m] = ofType('AWS::StepFunctions::StateMachine').find(([, m]) => m.Properties.StateMachineName === `tributary-${spec.name}`)!;
      const express = spec.type === 'EXPRESS';
      expect(m.Properties).toMatchObject({
        StateMachineType: express ? 'EXPRESS' : 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: express ? 'ERROR' : 'ALL', IncludeExecutionData: true },
      });
    }
    expect(CATALOG.filter((w) => w.type === 'EXPRESS').map((w) => w.name)).toEqual(['subscribe-log-groups']);
    for (const [, g] of ofType('AWS::Logs::LogGroup').filter(([, g]) => String(g.Properties.LogGroupName).startsWith('/aws/vendedlogs/states/'))) {
      expect(g.Properties.KmsKeyId).toBeDefined();
    }
  });

  it('lets onboard-region follow its Express child by the ARNs Express executions have', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine').find(([, m]) => m.Properties.StateMachineName === 'tributary-onboard-region')!;
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0];
    const [, policy] = ofType('AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))!;
    const follow = policy.Properties.PolicyDocument.Statement.find((s: { Sid?: string }) => s.Sid === 'FollowChildWorkflows');
    expect(JSON.stringify(follow.Resource)).toContain(':express:tributary-subscribe-log-groups:*');
  });

  it('lets only the organization put events on the hub bus', () => {
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organizationId } },
      }),
    });
  });

  it('lets each task role assume only its own member role, only inside the organization', () => {
    const roleNames = new Map(ofType('AWS::IAM::Role').map(([id, r]) => [id, r.Properties.RoleName] as const));
    const assumes = ofType('AWS::IAM::Policy').flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('sts:AssumeRole')).map((s: any) => ({
        role: roleNames.get(p.Properties.Roles[0].Ref) as string,
        s,
      })),
    );
    expect(assumes.length).toBeGreaterThan(0);
    for (const { role, s } of assumes) {
      const task = role.replace(/^tributary-task-/, '');
      expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${config.memberRoleName}-${task}`]] });
      expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': config.organizationId } });
    }
  });

  it('grants no "*" action in any policy', () => {
    expect(wildcardActions(template)).toEqual([]);
  });

  it('alarms on failed and timed-out executions of every workflow, task throttles, rule target failures and dead letters', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const spec of CATALOG) {
      expect(alarms.some((a) => a.MetricName === 'ExecutionsFailed' && a.AlarmDescription === `${spec.name}: executions failed`)).toBe(true);
      expect(alarms.some((a) => a.MetricName === 'ExecutionsTimedOut' && a.AlarmDescription === `${spec.name}: executions timed out`)).toBe(true);
    }
    expect(alarms.filter((a) => a.MetricName === 'Throttles')).toHaveLength(new Set(CATALOG.flatMap((w) => w.tasks)).size);
    expect(alarms.filter((a) => a.MetricName === 'FailedInvocations').length).toBeGreaterThanOrEqual(rules.length);
    expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(true);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('shows the data path of every governed region on the dashboard, from the logging account', () => {
    const [, dashboard] = ofType('AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const region of config.governedRegions) {
      expect(body).toContain(`Data path ${region}`);
    }
    for (const metric of ['DeliveryToS3.Success', 'DeliveryToS3.DataFreshness', 'GetRecords.IteratorAgeMilliseconds']) expect(body).toContain(metric);
    expect(body).toContain(`accountId\\":\\"${config.accounts.logging}`);
  });
});

describe('orchestration stack: task metrics', () => {
  it('watches every Tributary metric in the dimension set Powertools writes for every datum: the service alone', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, r]) => r.Properties.Namespace === METRIC_NAMESPACE);
    expect(alarms.map(([, r]) => r.Properties.MetricName).sort()).toEqual(['ReconcileFailedAccounts', 'TamperDetected', 'TamperLeftUnrepaired']);
    for (const [, alarm] of alarms) expect(alarm.Properties.Dimensions).toEqual(Object.entries(METRIC_DIMENSIONS).map(([Name, Value]) => ({ Name, Value })));
  });
});

describe('orchestration stack: timeouts', () => {
  it("gives every function Task a timeout clearly above its function's deployed timeout, so no retry starts while an attempt still runs", () => {
    const deployed = new Map(ofType('AWS::Lambda::Function').map(([, r]) => [r.Properties.FunctionName as string, r.Properties.Timeout as number]));
    const checked: string[] = [];
    for (const spec of CATALOG) {
      const { definition } = readDefinition(spec.aslFile);
      const states = new Map(allStates(definition));
      for (const { stateName, target } of taskStates(definition)) {
        if (target.kind !== 'function') continue;
        const state = states.get(stateName)!;
        const functionName = `tributary-${target.task}`;
        const functionTimeout = deployed.get(functionName);
        expect({ stateName, functionName, deployed: functionTimeout !== undefined }).toEqual({ stateName, functionName, deployed: true });
        // At least 30 s or 20% more, whichever is larger.
        expect({ stateName, margin: state.TimeoutSeconds - functionTimeout! >= Math.max(30, functionTimeout! / 5) }).toEqual({ stateName, margin: true });
        checked.push(stateName);
      }
    }
    expect(checked.length).toBeGreaterThan(15);
  });
});

describe('organization events stack', () => {
  const stacks = addTributaryStacks(testApp(), config, { checks: false });
  const events = Template.fromStack(stacks.organizationEvents);

  it('lives in the management account, us-east-1', () => {
    expect(stacks.organizationEvents.account).toBe(config.accounts.management);
    expect(stacks.organizationEvents.region).toBe('us-east-1');
  });

  it('forwards the sources of the organization triggers to the hub bus, with a dead-letter queue (a member region opt-in comes from the member itself)', () => {
    events.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.cloudtrail', 'aws.controltower', 'aws.organizations'] },
      Targets: [Match.objectLike({ Arn: Match.anyValue(), DeadLetterConfig: Match.anyValue(), RoleArn: Match.anyValue() })],
    });
    expect(JSON.stringify(events.toJSON())).toContain(`:${config.accounts.orchestration}:event-bus/tributary-hub`);
  });

  it('grants no "*" action', () => {
    expect(wildcardActions(events)).toEqual([]);
  });
});

describe('orchestration stack: reconcile', () => {
  it('alarms on the accounts a reconcile could not onboard, and keeps its records under a TTL', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'Tributary', MetricName: 'ReconcileFailedAccounts', Threshold: 1 });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } });
  });

  it('lets the reconcile tasks touch only keys under reconcile/ in the lock table', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const reconcile = statements.filter((st) => st.Sid === 'ReconcileRecords');
    expect(reconcile.length).toBe(4);
    for (const st of reconcile) expect(st.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['reconcile/*'] } });
  });
});

describe('departures reach the archive', () => {
  it('the hub forwards organization departures (from the management account only) to the logging account, where the manifest is written', () => {
    const template = Template.fromStack(addTributaryStacks(testApp(), config, { checks: false }).orchestration);
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'tributary-forward-departures-to-archive',
      EventPattern: {
        $or: Match.arrayWith([Match.objectLike({ account: [config.accounts.management], detail: { eventName: ['AccountDepartedOrganization'] } })]),
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${config.homeRegion}:${config.accounts.logging}:event-bus/default`]] },
        }),
      ],
    });
  });
});
