import { App, BootstraplessSynthesizer, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { VALIDATE_AGAINST_DEFAULT_RULES } from 'aws-cdk-lib/cx-api';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { TributaryConfig } from '../../tasks/lib/config';
import { TAMPER_PREVENTION_POLICY_NAME, tamperPreventionPolicyText } from '../tamper-prevention-policy';
import { validationFindings } from '../validation-report';
import { MemberAccountEventsStack } from './member-account-events-stack';
import { MemberBaselineStack } from './member-baseline-stack';

export interface MemberBaselineStackSetStackProps extends StackProps {
  readonly config: TributaryConfig;
  /** Check the member templates as the main app is checked: cdk-nag, and CloudFormation's default rules (binding). @default true */
  readonly checks?: boolean;
}

export const MEMBER_BASELINE_STACK_SET_NAME = 'tributary-member-baseline';
export const MEMBER_ACCOUNT_EVENTS_STACK_SET_NAME = 'tributary-member-account-events';
/** Where Account Management delivers a member's region opt-in events. */
const ACCOUNT_EVENTS_REGION = 'us-east-1';

/**
 * A member template, synthesized on its own: it is deployed by a StackSet only. Its cdk-nag
 * findings fail the synth like the main app's: under the CDK CLI a separate app only writes them
 * to its report (the CLI reads the main assembly's), so the report is read here. CloudFormation's
 * default rules fail the synth itself, as in the main app.
 */
function stackSetTemplate(name: string, build: (app: App) => Stack, checks: boolean): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), `tributary-${name}-`));
  // The assembly is read here and nowhere else: left behind, every synth would add a folder to the temp directory.
  try {
    const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: checks, context: { [VALIDATE_AGAINST_DEFAULT_RULES]: true } });
    const stack = build(app);
    if (checks) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    if (checks) {
      const violations = validationFindings(outdir)
        .filter((f) => f.failing)
        .map((f) => `${f.ruleName} at ${f.constructPath}`);
      if (violations.length > 0) throw new Error(`${name}: unacknowledged cdk-nag findings:\n  ${violations.join('\n  ')}`);
    }
    return assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function memberBaselineTemplate(config: TributaryConfig, checks = true): Record<string, unknown> {
  return stackSetTemplate(
    'member-baseline',
    (app) => new MemberBaselineStack(app, 'TributaryMemberBaseline', { config, synthesizer: new BootstraplessSynthesizer() }),
    checks,
  );
}

export function memberAccountEventsTemplate(config: TributaryConfig, checks = true): Record<string, unknown> {
  return stackSetTemplate(
    'member-account-events',
    (app) => new MemberAccountEventsStack(app, 'TributaryMemberAccountEvents', { config, synthesizer: new BootstraplessSynthesizer() }),
    checks,
  );
}

/**
 * In the management account: the member StackSets, service-managed and deployed automatically to
 * every account of the target root or OUs: the baseline (IAM roles are global, so the home region
 * only) and the account-events rule (us-east-1, where a member's own region changes are delivered).
 */
export class MemberBaselineStackSetStack extends Stack {
  public readonly memberTemplate: Record<string, unknown>;
  public readonly accountEventsTemplate: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: MemberBaselineStackSetStackProps) {
    super(scope, id, props);
    const { config } = props;
    const stackSet = (
      constructId: string,
      stackSetName: string,
      description: string,
      region: string,
      template: Record<string, unknown>,
      capabilities?: string[],
    ) =>
      new cloudformation.CfnStackSet(this, constructId, {
        stackSetName,
        description,
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        ...(capabilities ? { capabilities } : {}),
        managedExecution: { Active: true },
        operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
        stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...config.memberBaselineTargets] }, regions: [region] }],
        templateBody: JSON.stringify(template),
      });
    this.memberTemplate = memberBaselineTemplate(config, props.checks ?? true);
    stackSet(
      'MemberBaseline',
      MEMBER_BASELINE_STACK_SET_NAME,
      'Tributary member baseline: the roles the orchestrator, CloudWatch Logs, EventBridge and VPC Flow Logs use in each member account',
      config.homeRegion,
      this.memberTemplate,
      ['CAPABILITY_NAMED_IAM'],
    );
    this.accountEventsTemplate = memberAccountEventsTemplate(config, props.checks ?? true);
    stackSet(
      'MemberAccountEvents',
      MEMBER_ACCOUNT_EVENTS_STACK_SET_NAME,
      "Tributary: forwards each member's own region opt-in changes from its us-east-1 to the hub bus",
      ACCOUNT_EVENTS_REGION,
      this.accountEventsTemplate,
    );
    if (config.tamperRepair.serviceControlPolicy === 'deploy') {
      // Service control policies must be enabled in the organization (README, deploy steps).
      new organizations.CfnPolicy(this, 'TamperPrevention', {
        name: TAMPER_PREVENTION_POLICY_NAME,
        description: "Tributary: nobody but Tributary's roles and deployment switches off what cannot be repaired once done (docs/permissions.md)",
        type: 'SERVICE_CONTROL_POLICY',
        content: JSON.parse(tamperPreventionPolicyText(config)),
        targetIds: [...config.memberBaselineTargets],
      });
    }
  }
}
