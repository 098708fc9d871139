/**
 * `tributary deploy`: every stack, in the order the assembly states, from one credential in the
 * deployment account. The CDK CLI deploys the assembly this command synthesized, assuming each
 * target account's bootstrapped deploy role (bootstrapped with `--trust`), so what is printed is
 * what is deployed. Chosen over a CDK Pipeline: no CodePipeline, source repository or artifact
 * bucket to run and secure for a handful of stacks deployed rarely, and the same order either way.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { App } from 'aws-cdk-lib';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addChecks, addTributaryStacks, APP_CONTEXT } from '../infra/tributary-app';
import { deploymentAccount, prerequisites } from '../infra/organization-prerequisites';
import type { TributaryConfig } from '../tasks/lib/config';
import { configPath, ownConfigPath, readConfig } from './config-file';
import { bootstrapCommands, deploymentSteps, type DeployStep } from './deploy-plan';
import { reportProblems } from './problems';
import { formatTable } from './table';
import { requireOwnConfig } from './targets';

export interface DeployFlags {
  readonly config?: string;
  readonly profile?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** What the command does to the outside world, injectable for tests. */
export interface DeployEdges {
  /** The account of the credentials in use. */
  callerAccount(profile: string | undefined): Promise<string>;
  /** Runs the CDK CLI with `args`; its exit code. */
  runCdk(args: readonly string[]): Promise<number>;
  /** Synthesizes the app for `config` (see synthesize below) into a folder the command removes once done with it. */
  synthesize(config: TributaryConfig, forDeploy: boolean): { outdir: string; steps: DeployStep[] };
}

const AWS_EDGES: DeployEdges = {
  async callerAccount(profile) {
    const sts = new STSClient({ ...(profile ? { credentials: fromIni({ profile }) } : {}) });
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account ?? '';
  },
  runCdk(args) {
    return new Promise((resolve, reject) => {
      const child = spawn('npx', ['cdk', ...args], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code ?? 1));
    });
  },
  synthesize: (config, forDeploy) => synthesize(config, forDeploy),
};

/**
 * Synthesizes the app for `config` into a fresh folder: with bundling and the checks (cdk-nag,
 * CloudFormation's default rules) for a deploy, none of them for a dry run, which prints the plan.
 */
export function synthesize(config: TributaryConfig, forDeploy: boolean): { outdir: string; steps: DeployStep[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'tributary-deploy-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: forDeploy,
      context: { ...APP_CONTEXT, ...(forDeploy ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    });
    addTributaryStacks(app, config, { checks: forDeploy });
    if (forDeploy) addChecks(app);
    return { outdir, steps: deploymentSteps(app.synth()) };
  } catch (error) {
    // A synth refused (a check's finding, a config the app cannot build) leaves no assembly behind either.
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

function printPlan(steps: readonly DeployStep[], config: TributaryConfig): void {
  console.log(
    formatTable(
      ['#', 'stack', 'account', 'region', 'after', 'assumes'],
      steps.map((s, i) => [i + 1, s.stack, s.account, s.region, s.after.join(', ') || '-', s.deployRole]),
    ),
  );
  console.log('\nOnce per account-region, with its credentials:');
  for (const command of bootstrapCommands(steps, config)) console.log(`  ${command}`);
  console.log("\nOnce, with the management account's credentials:");
  for (const p of prerequisites(config)) console.log(`  # ${p.purpose}\n  ${p.command}`);
}

export async function deployCommand(flags: DeployFlags, edges: DeployEdges = AWS_EDGES): Promise<number> {
  let config: TributaryConfig;
  try {
    config = readConfig(flags.dryRun ? configPath(flags.config) : requireOwnConfig(ownConfigPath(flags.config), 'deploy'));
  } catch (error) {
    return reportProblems('deploy', error);
  }
  const { outdir, steps } = edges.synthesize(config, !flags.dryRun);
  // The assembly is needed only by this run's CDK CLI: left behind, every run would add a folder to the temp directory.
  try {
    return await planAndDeploy(flags, edges, config, outdir, steps);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function planAndDeploy(flags: DeployFlags, edges: DeployEdges, config: TributaryConfig, outdir: string, steps: readonly DeployStep[]): Promise<number> {
  if (flags.json) console.log(JSON.stringify({ steps, bootstrap: bootstrapCommands(steps, config), prerequisites: prerequisites(config) }));
  else printPlan(steps, config);
  if (flags.dryRun) return 0;

  const trusted = deploymentAccount(config);
  const caller = await edges.callerAccount(flags.profile);
  if (caller !== trusted) {
    return reportProblems(
      'deploy',
      new Error(
        `credentials: account ${caller} is not the deployment account ${trusted} (config.accounts.deployment, else accounts.orchestration), which every bootstrap above trusts`,
      ),
    );
  }
  if (!flags.json) console.log(`\nDeploying ${steps.length} stacks from ${trusted}`);
  const code = await edges.runCdk(['deploy', '--app', outdir, '--all', '--require-approval', 'never', ...(flags.profile ? ['--profile', flags.profile] : [])]);
  if (code !== 0) {
    console.error(`tributary deploy: the CDK CLI exited with ${code}; stacks before the failed one are deployed, and a rerun continues from there`);
    return 1;
  }
  if (!flags.json) console.log(`\nDeployed. Next, with the orchestration account's credentials: npx tributary reconcile --region ${config.homeRegion}`);
  return 0;
}
