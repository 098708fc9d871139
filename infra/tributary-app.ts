/** Builds every Tributary stack from the config. `app.ts` runs it; the infra tests call it on their own App. */
import { App, Validations } from 'aws-cdk-lib';
import { VALIDATE_AGAINST_DEFAULT_RULES } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlarmNotifications } from './constructs/alarm-notifications';
import type { TributaryConfig } from '../tasks/lib/config';
import { ArchiveStack } from './stacks/archive-stack';
import { MemberBaselineStackSetStack } from './stacks/member-baseline-stackset-stack';
import { OrchestrationStack } from './stacks/orchestration-stack';
import { OrganizationEventsStack } from './stacks/organization-events-stack';
import { PipelineStack } from './stacks/pipeline-stack';

/** CDK feature flags the stacks rely on; every App (the CLI's and the tests') is built with them. */
export const APP_CONTEXT: Readonly<Record<string, unknown>> = {
  // Server access logs are granted by bucket policy; ACLs stay disabled on every bucket.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
  // The pipelines read the archive key across regions; the producer stays protected while they do.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // CloudFormation's default rules (the CDK's built-in template validation) fail the synth, not
  // only warn: a template CloudFormation would refuse never reaches a deploy.
  [VALIDATE_AGAINST_DEFAULT_RULES]: true,
};

export interface TributaryStacks {
  readonly archive: ArchiveStack;
  readonly pipelines: readonly PipelineStack[];
  readonly orchestration: OrchestrationStack;
  readonly organizationEvents: OrganizationEventsStack;
  readonly memberBaseline: MemberBaselineStackSetStack;
}

export function addTributaryStacks(app: App, config: TributaryConfig, options: { checks?: boolean } = {}): TributaryStacks {
  const logging = config.accounts.logging;
  const archive = new ArchiveStack(app, 'TributaryArchive', {
    env: { account: logging, region: config.homeRegion },
    crossRegionReferences: true,
    description: 'Tributary: central log archive (logging account, home region)',
    config,
  });
  const pipelines = config.governedRegions.map(
    (region) =>
      new PipelineStack(app, `TributaryPipeline-${region}`, {
        env: { account: logging, region },
        crossRegionReferences: true,
        description: `Tributary: log destination, stream and delivery for ${region} (logging account)`,
        config,
        region,
        archiveKey: archive.archive.key,
      }),
  );
  const orchestration = new OrchestrationStack(app, 'TributaryOrchestration', {
    env: { account: config.accounts.orchestration, region: config.homeRegion },
    description: 'Tributary: workflows, task Lambdas, hub event bus and rules, alarms (orchestration account, home region)',
    config,
  });
  // Organizations and Control Tower deliver their events in the management account's us-east-1 only.
  const organizationEvents = new OrganizationEventsStack(app, 'TributaryOrganizationEvents', {
    env: { account: config.accounts.management, region: 'us-east-1' },
    description: 'Tributary: forwards organization events to the hub bus (management account, us-east-1)',
    config,
  });
  const memberBaseline = new MemberBaselineStackSetStack(app, 'TributaryMemberBaseline', {
    env: { account: config.accounts.management, region: config.homeRegion },
    description: 'Tributary: the member baseline StackSet, deployed automatically to every member account (management account)',
    config,
    checks: options.checks ?? true,
  });
  // The deploy order, in code so that `cdk deploy --all` and `tributary deploy` follow it (no
  // cross-account reference can carry it). Onboarding subscribes log groups to the pipelines'
  // destinations and assumes the member roles the baseline StackSet deploys; the organization
  // events stack forwards to the hub bus and its trail delivers to the archive's trail bucket.
  for (const pipeline of pipelines) orchestration.addStackDependency(pipeline, 'onboarding subscribes log groups to its destination');
  orchestration.addStackDependency(memberBaseline, 'the tasks assume the member roles it deploys');
  organizationEvents.addStackDependency(orchestration, 'it forwards to the hub bus');
  organizationEvents.addStackDependency(archive, 'the organization trail delivers to the trail bucket');
  if (config.notifications) {
    for (const stack of [archive, ...pipelines, orchestration]) new AlarmNotifications(stack, 'AlarmNotifications', { email: config.notifications.email });
  }
  return { archive, pipelines, orchestration, organizationEvents, memberBaseline };
}

/** The checks every synth runs: findings fail the synth unless acknowledged with a reason. */
export function addChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
