/** `tributary deploy`: the stacks in the assembly's order, each through its account's bootstrapped role, from one credential; the README's deploy section is this plan. */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deployCommand, synthesize, type DeployEdges } from '../../bin/deploy-command';
import type { DeployStep } from '../../bin/deploy-plan';
import { exampleDeployGuide, README_PATH, withDeployGuide } from '../../bin/readme-deploy-guide';
import { EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../../tasks/lib/config';
import { tributary } from './in-process';
import { ownTmpdir } from '../own-tmpdir';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const example = synthesize(config, false);

/** Edges that record what the command would do to AWS; synthesis without bundling, as a dry run does. */
function fakeEdges(caller: string, cdkExit = 0): DeployEdges & { cdkCalls: string[][] } {
  const cdkCalls: string[][] = [];
  return {
    cdkCalls,
    callerAccount: async () => caller,
    runCdk: async (args) => (cdkCalls.push([...args]), cdkExit),
    synthesize: (c: TributaryConfig) => synthesize(c, false),
  };
}

function ownConfig(overrides: Partial<TributaryConfig> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-deploy-test-')), 'my-org.json');
  writeFileSync(file, JSON.stringify({ ...config, ...overrides }));
  return file;
}

/** Runs `work`, capturing what it prints. */
async function captured(work: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...parts) => void (out += `${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts) => void (err += `${parts.join(' ')}\n`));
  try {
    return { code: await work(), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('the deployment plan', () => {
  const steps: DeployStep[] = example.steps;
  const position = (stack: string) => steps.findIndex((s) => s.stack === stack);

  it('puts every stack after the stacks it depends on, with the order the README used to state in prose now in the app', () => {
    for (const step of steps) for (const before of step.after) expect(position(before)).toBeLessThan(position(step.stack));
    expect(position('TributaryOrchestration')).toBeGreaterThan(
      Math.max(position('TributaryMemberBaseline'), ...config.governedRegions.map((r) => position(`TributaryPipeline-${r}`))),
    );
    expect(position('TributaryOrganizationEvents')).toBeGreaterThan(position('TributaryOrchestration'));
    expect(position('TributaryOrganizationEvents')).toBeGreaterThan(position('TributaryArchive'));
    expect(steps).toHaveLength(4 + config.governedRegions.length);
  });

  it('sends each stack to its account and region, through that account-region bootstrapped deploy and execution roles', () => {
    const where = Object.fromEntries(steps.map((s) => [s.stack, [s.account, s.region]]));
    expect(where).toEqual({
      TributaryArchive: [config.accounts.logging, config.homeRegion],
      ...Object.fromEntries(config.governedRegions.map((r) => [`TributaryPipeline-${r}`, [config.accounts.logging, r]])),
      TributaryMemberBaseline: [config.accounts.management, config.homeRegion],
      TributaryOrchestration: [config.accounts.orchestration, config.homeRegion],
      TributaryOrganizationEvents: [config.accounts.management, 'us-east-1'],
    });
    for (const s of steps) {
      expect(s.deployRole).toBe(`arn:aws:iam::${s.account}:role/cdk-hnb659fds-deploy-role-${s.account}-${s.region}`);
      expect(s.executionRole).toBe(`arn:aws:iam::${s.account}:role/cdk-hnb659fds-cfn-exec-role-${s.account}-${s.region}`);
    }
  });

  it('is what the README deploy section says (npm run docs regenerates it)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(withDeployGuide(readme, exampleDeployGuide())).toBe(readme);
  });
});

describe('tributary deploy', () => {
  it('deploys the assembly it printed, every stack, from the deployment account, and names the first reconcile', async () => {
    const edges = fakeEdges(config.accounts.orchestration);
    const { code, out } = await captured(() => deployCommand({ config: ownConfig(), profile: 'deployer' }, edges));
    expect(code).toBe(0);
    expect(edges.cdkCalls).toEqual([
      ['deploy', '--app', expect.stringContaining('tributary-deploy-'), '--all', '--require-approval', 'never', '--profile', 'deployer'],
    ]);
    expect(out).toContain(`npx tributary reconcile --region ${config.homeRegion}`);
  });

  it.each([
    ['a deploy', { caller: config.accounts.orchestration, cdkExit: 0, dryRun: false }, 0],
    ['a deploy the CDK CLI failed', { caller: config.accounts.orchestration, cdkExit: 1, dryRun: false }, 1],
    ['a deploy refused for its credentials', { caller: '999999999999', cdkExit: 0, dryRun: false }, 2],
    ['a dry run', { caller: config.accounts.orchestration, cdkExit: 0, dryRun: true }, 0],
  ])('removes the assembly it synthesized after %s', async (_name, { caller, cdkExit, dryRun }, expected) => {
    // Prepare
    const edges = fakeEdges(caller, cdkExit);
    const outdirs: string[] = [];
    // The example's plan, in an assembly folder of its own: what is removed is the folder the synth named.
    edges.synthesize = () => {
      const outdir = mkdtempSync(join(tmpdir(), 'tributary-assembly-'));
      writeFileSync(join(outdir, 'manifest.json'), '{}');
      outdirs.push(outdir);
      return { outdir, steps: example.steps };
    };

    // Act
    const { code } = await captured(() => deployCommand({ config: ownConfig(), dryRun }, edges));

    // Assess
    expect(code).toBe(expected);
    expect(outdirs).toHaveLength(1);
    expect(existsSync(outdirs[0]!)).toBe(false);
  });

  it('removes the folder it synthesized into when the synth throws', () => {
    // Prepare
    const temp = ownTmpdir();
    const unbuildable = { ...config, governedRegions: undefined } as unknown as TributaryConfig;

    try {
      // Act
      const synthesizing = () => synthesize(unbuildable, false);

      // Assess
      expect(synthesizing).toThrow();
      expect(readdirSync(temp.path)).toEqual([]);
    } finally {
      temp.restore();
    }
  });

  it('trusts a dedicated deployment account when the config names one', async () => {
    const deployment = '444444444444';
    const edges = fakeEdges(deployment);
    const { code, out } = await captured(() =>
      deployCommand({ config: ownConfig({ accounts: { ...config.accounts, deployment } as TributaryConfig['accounts'] }) }, edges),
    );
    expect(code).toBe(0);
    expect(out).toContain(`--trust ${deployment} --trust-for-lookup ${deployment}`);
  });

  it.each([
    ['credentials of another account', { config: 'own', caller: '999999999999' }, 'credentials: account 999999999999 is not the deployment account'],
    [
      'no config against AWS (never the committed example)',
      { config: undefined, caller: config.accounts.orchestration },
      '--config: against AWS, deploy needs your organization config',
    ],
    ['a config with a bad field', { config: 'bad', caller: config.accounts.orchestration }, 'config.homeRegion: "mars-1" is not a known AWS region'],
  ])('refuses %s with exit 2, one line, nothing deployed', async (_name, { config: which, caller }, message) => {
    const edges = fakeEdges(caller);
    const file = which === 'own' ? ownConfig() : which === 'bad' ? ownConfig({ homeRegion: 'mars-1' as TributaryConfig['homeRegion'] }) : undefined;
    const saved = process.env.TRIBUTARY_CONFIG_FILE;
    delete process.env.TRIBUTARY_CONFIG_FILE;
    try {
      const { code, err } = await captured(() => deployCommand({ config: file }, edges));
      expect(code).toBe(2);
      // One line per problem, each naming the field and the value.
      expect(err.trim().split('\n')).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      for (const line of err.trim().split('\n')) expect(line).toMatch(/^tributary deploy: \S+: /);
    } finally {
      if (saved !== undefined) process.env.TRIBUTARY_CONFIG_FILE = saved;
    }
    expect(edges.cdkCalls).toEqual([]);
  });

  it('exits 1 when the CDK CLI fails, saying a rerun continues', async () => {
    const edges = fakeEdges(config.accounts.orchestration, 1);
    const { code, err } = await captured(() => deployCommand({ config: ownConfig() }, edges));
    expect(code).toBe(1);
    expect(err).toContain('a rerun continues from there');
  });

  it('--dry-run --json prints the plan, the bootstraps and the delegations, and touches nothing', async () => {
    const { code, stdout } = await tributary(['deploy', '--dry-run', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.steps.map((s: DeployStep) => s.stack)).toEqual(example.steps.map((s) => s.stack));
    expect(plan.bootstrap).toHaveLength(new Set(example.steps.map((s) => `${s.account}/${s.region}`)).size);
    expect(plan.prerequisites.map((p: { command: string }) => p.command)).toContain(
      `aws organizations register-delegated-administrator --account-id ${config.accounts.orchestration} --service-principal account.amazonaws.com`,
    );
  });
});
