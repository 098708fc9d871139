/**
 * The deployment as the synthesized assembly states it: each stack in dependency order, the
 * account and region it goes to, the bootstrapped roles the CDK CLI assumes there, and the
 * bootstrap each account-region needs. `tributary deploy` prints and follows it; the README's
 * deploy section is generated from it (a test checks the two agree).
 */
import type { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { TributaryConfig } from '../tasks/lib/config';
import { parseRegion, partitionOf } from '../tasks/lib/domain';
import { deploymentAccount, prerequisites } from '../infra/organization-prerequisites';

export interface DeployStep {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** The bootstrap's deploy role the CLI assumes from the deployment account. */
  readonly deployRole: string;
  /** The bootstrap's role CloudFormation deploys the stack with. */
  readonly executionRole: string;
  /** Stacks deployed before it. */
  readonly after: readonly string[];
}

function resolvePartition(arn: string | undefined, region: string): string {
  if (!arn) throw new Error('a stack has no bootstrap role: synthesize with the default stack synthesizer');
  return arn.replace('${AWS::Partition}', partitionOf(parseRegion(region, 'stack region')));
}

/** Every stack, each after the stacks it depends on, ties in the order the app declares them. */
export function deploymentSteps(assembly: CloudAssembly): DeployStep[] {
  const stacks = assembly.stacksRecursively;
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const dependsOn = (stack: CloudFormationStackArtifact) => stack.dependencies.map((d) => d.id).filter((id) => byId.has(id));
  const ordered: CloudFormationStackArtifact[] = [];
  const placed = new Set<string>();
  while (ordered.length < stacks.length) {
    const next = stacks.find((s) => !placed.has(s.id) && dependsOn(s).every((id) => placed.has(id)));
    if (!next)
      throw new Error(
        `the stacks depend on each other in a cycle: ${stacks
          .filter((s) => !placed.has(s.id))
          .map((s) => s.id)
          .join(', ')}`,
      );
    ordered.push(next);
    placed.add(next.id);
  }
  return ordered.map((stack) => ({
    stack: stack.stackName,
    account: stack.environment.account,
    region: stack.environment.region,
    deployRole: resolvePartition(stack.assumeRoleArn, stack.environment.region),
    executionRole: resolvePartition(stack.cloudFormationExecutionRoleArn, stack.environment.region),
    after: dependsOn(stack).map((id) => byId.get(id)!.stackName),
  }));
}

/**
 * One `cdk bootstrap` per account-region the stacks go to, trusting the deployment account. The
 * execution policy is the CDK's default, AdministratorAccess: CloudFormation creates roles, keys
 * and StackSets with it. Run each with that account's credentials, once.
 */
export function bootstrapCommands(steps: readonly DeployStep[], config: TributaryConfig): string[] {
  const trusted = deploymentAccount(config);
  const environments = [...new Map(steps.map((s) => [`${s.account}/${s.region}`, s])).values()];
  return environments.map(({ account, region }) => {
    const partition = partitionOf(parseRegion(region, 'stack region'));
    return `npx cdk bootstrap aws://${account}/${region} --trust ${trusted} --trust-for-lookup ${trusted} --cloudformation-execution-policies arn:${partition}:iam::aws:policy/AdministratorAccess`;
  });
}

/** The README's deploy section for `config`: bootstrap, delegations, one deploy, first reconcile. */
export function deployGuideMarkdown(steps: readonly DeployStep[], config: TributaryConfig, configFile: string): string {
  const lines = [
    `For the committed example (\`${configFile}\`); \`tributary deploy --config <yours> --dry-run\` prints the same for yours.`,
    '',
    `**1. Bootstrap** each account-region with its own credentials, trusting the deployment account (${deploymentAccount(config)}):`,
    '',
    '```sh',
    ...bootstrapCommands(steps, config),
    '```',
    '',
    "**2. Delegations**, with the management account's credentials:",
    '',
    '```sh',
    ...prerequisites(config).flatMap((p) => [`# ${p.purpose}`, p.command]),
    '```',
    '',
    `**3. One deploy**, with the deployment account's credentials: \`npx tributary deploy --config ${configFile}\`. It deploys, in this order:`,
    '',
    '| # | stack | account | region | after |',
    '|---|---|---|---|---|',
    ...steps.map((s, i) => `| ${i + 1} | \`${s.stack}\` | ${s.account} | ${s.region} | ${s.after.map((a) => `\`${a}\``).join(', ') || '-'} |`),
    '',
    `**4. First reconcile**, with the orchestration account's credentials (${config.accounts.orchestration}): \`npx tributary reconcile --region ${config.homeRegion}\` onboards every account that already exists.`,
  ];
  return lines.join('\n');
}
