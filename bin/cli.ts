/** The `tributary` command line: every command, its flags, and its exit code. */
import '../workflows/local/polyfills';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { offboardCommand } from './offboard-command';
import { onboardCommand } from './onboard-command';
import { reconcileCommand } from './reconcile-command';
import { costCommand } from './cost-command';
import { deployCommand } from './deploy-command';
import { permissionsCommand } from './permissions-command';
import { planCommand } from './plan-command';
import { routeCommand } from './route-command';
import { statusCommand } from './status-command';
import { simulateCommand } from './simulate-command';
import { transformCommand } from './transform-command';
import { validateCommand } from './validate-command';
import { trustedKeyCommand } from './trusted-key-command';
import { verifyCommand } from './verify-command';
import { replayCommand } from './replay-command';

/** Decimal digits only: `1e2`, `0x10`, ` 12` and `12abc` are refused, not read as numbers. */
function wholeNumber(min: number) {
  return (value: string): number => {
    const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

/** A decimal in [0, 1), written as digits: `0.05`, `.5`, `0`. */
function rate() {
  return (value: string): number => {
    const n = /^(0|0?\.\d+)$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a decimal from 0 to 1, such as 0.05');
    return n;
  };
}

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

/**
 * Runs one command line (argv as process.argv gives it) and answers its exit code. Exit codes: 0
 * success; 1 the work ran and did not converge or failed; 2 a flag, config or input was wrong
 * (one line per problem, nothing done).
 */
export async function run(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // Help and --version end with 0; every usage error (commander's, or a command's own) with 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`tributary: ${(error as Error).message}`);
    return 2;
  }
  return code;
}

const SIMULATED_ORGANIZATION = 'run against a simulated organization, no AWS needed';
const SIMULATED_CONFIG = 'with --offline: the organization config to simulate (default: $TRIBUTARY_CONFIG_FILE, else the committed example)';

/** Where a command finds the deployed Tributary (onboard, offboard, status): AWS, or a simulated organization. */
function deploymentOptions(command: Command, offlineHelp: string): Command {
  return command
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--region <region>', 'the home region where Tributary is deployed (default: AWS_REGION)')
    .option('--offline', offlineHelp, false);
}

function buildProgram(exit: (code: number) => void): Command {
  const program = new Command('tributary')
    .description('Hands-off centralized security logging for an AWS Organization')
    .version(version, '--version', 'print the version')
    .exitOverride()
    .configureOutput({
      // Commander's own errors (unknown option, bad value, missing argument): one line, exit 2.
      outputError: (message, write) =>
        write(
          `tributary: ${message
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    });

  program
    .command('simulate')
    .description(
      'run a simulated organization end to end, offline (onboarding, a new account, a region enabled, new log groups and VPCs, an account leaving), and print coverage',
    )
    .option('--json', 'print one JSON report instead of tables', false)
    .option('--table', 'also print coverage per account and region, and calls per operation', false)
    .option('--seed <n>', 'seed for the organization and the faults', wholeNumber(0), 1)
    .option('--accounts <n>', 'member accounts', wholeNumber(1), 12)
    .option('--log-groups <n>', 'existing log groups per account and region', wholeNumber(0), 36)
    .option('--vpcs <n>', 'existing VPCs per account and region', wholeNumber(0), 3)
    .option('--destination-access <mode>', "organization or account-list (default: the config's)", (value: string) => {
      if (value !== 'organization' && value !== 'account-list')
        throw new InvalidArgumentError(`--destination-access must be "organization" or "account-list", got "${value}"`);
      return value;
    })
    .option('--faults <rate>', 'probability that a call is throttled', rate(), 0.05)
    .option('--server-errors <rate>', 'probability that a call fails with a 5xx', rate(), 0.01)
    .option('--late-log-groups <n>', 'reads before a new log group is visible', wholeNumber(0), 1)
    .option('--late-roles <n>', "AssumeRole attempts refused before the new account's baseline role exists", wholeNumber(0), 2)
    .option('--config <file>', 'the organization config to simulate (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
    .option('--after-write-failures <rate>', 'probability that a write takes effect and then reports a 5xx', rate(), 0.01)
    .option('--concurrency <n>', 'executions at once', wholeNumber(1), 32)
    .action(async (flags) => {
      exit(await simulateCommand(flags));
    });

  program
    .command('plan')
    .description(
      'read-only: what onboarding would change, per account-region (filters, exclusions, full slots, flow logs, forwarding, GuardDuty, destination access)',
    )
    .option('--account <id>', 'one account (default: every ACTIVE account but the management account)')
    .option('--regions <list>', 'comma-separated governed regions (default: all)')
    .option('--offline', 'plan the simulated organization, no AWS needed', false)
    .option('--config <file>', 'the organization config (default: $TRIBUTARY_CONFIG_FILE; offline, else the committed example)')
    .option('--role-name <name>', 'against AWS: the role to assume in each account for reads (it must trust you)')
    .option('--region <region>', 'against AWS: where to call STS and Organizations (default: AWS_REGION, else the home region)')
    .option('--json', 'print one JSON object', false)
    .action(async (flags) => {
      exit(await planCommand(flags));
    });

  program
    .command('verify')
    .description(
      'check the archive against what must exist: every chain from its genesis to now, signed by the pinned key, every object (read-only; exit 0 only when all hold)',
    )
    .option('--trusted-key <fingerprint>', 'the digest key to trust (default: archive.trustedDigestKey in the config; offline, the simulated key)')
    .option('--from <time>', 'problems of hours from this UTC time (2026-11-30 or 2026-11-30T14:00Z)')
    .option('--to <time>', 'problems of hours up to this UTC time')
    .option('--prefix <prefix>', 'one chain: logs/region=<region>/, errors/ or digests/departures/')
    .option('--json', 'print one JSON object: the summary per chain and every problem', false)
    .option('--offline', 'verify a simulated day of the archive, signed with a local key', false)
    .option('--log-groups', 'also per log group: its earliest proven event, what the backfill archived, and whether it reached its horizon', false)
    .option('--config <file>', 'the config, for the bucket, the chains and the trusted key (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
    .option('--bucket <name>', 'the archive bucket (default: from the config)')
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--region <region>', "the home region (default: AWS_REGION, else the config's)")
    .action(async (flags) => {
      exit(await verifyCommand(flags));
    });

  program
    .command('replay')
    .description(
      "send a window of the archive to the SIEM through the SIEM's own path, only objects the digests prove, resumable (--state) and paced (--rate); --dry-run prints objects, bytes and cost",
    )
    .option('--from <time>', 'the first hour to replay (2026-11-30 or 2026-11-30T14:00Z)')
    .option('--to <time>', 'the hour the replay stops before')
    .option('--accounts <ids>', 'only these accounts (comma-separated)')
    .option('--categories <list>', 'only these categories (audit, network, application)')
    .option('--dry-run', 'read the digests only: print the objects, their bytes and what the replay would cost', false)
    .option('--state <file>', 'where finished objects are kept, to resume an interrupted replay', 'tributary-replay.state.json')
    .option('--rate <MB/s>', 'MB a second put on the streams', '1')
    .option('--trusted-key <fingerprint>', 'the digest key to trust (default: archive.trustedDigestKey in the config)')
    .option('--json', 'print one JSON object', false)
    .option('--offline', 'replay a simulated week of the archive into a loopback collector', false)
    .option('--config <file>', 'the config (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
    .option('--bucket <name>', 'the archive bucket (default: from the config)')
    .option('--profile <name>', 'AWS profile, in the logging account (default: the standard credential chain)')
    .option('--region <region>', "the archive's region (default: the config's home region)")
    .action(async (flags) => {
      exit(await replayCommand(flags));
    });

  program
    .command('trusted-key')
    .description("print the digest signing key's ARN and fingerprint (KMS GetPublicKey), to record after the first deploy and pin in the config")
    .option('--key <id>', 'the key (default: alias/tributary-archive-digests)')
    .option('--profile <name>', 'AWS profile, in the logging account (default: the standard credential chain)')
    .option('--region <region>', 'the home region (default: AWS_REGION)')
    .action(async (flags) => {
      exit(await trustedKeyCommand(flags));
    });

  program
    .command('deploy')
    .description(
      'deploy every stack in dependency order from the deployment account, one credential (each account-region bootstrapped with --trust); --dry-run prints the plan, the bootstrap and the delegation commands',
    )
    .option('--config <file>', 'your organization config (default: $TRIBUTARY_CONFIG_FILE; with --dry-run, else the committed example)')
    .option('--profile <name>', "the deployment account's AWS profile (default: the standard credential chain)")
    .option('--dry-run', 'print what would be deployed, in order, and the commands it needs first; deploy nothing', false)
    .option('--json', 'print one JSON object', false)
    .action(async (flags) => {
      exit(await deployCommand(flags));
    });

  program
    .command('validate')
    .description('check a config: one line per problem (exit 2), or that it is valid')
    .option('--config <file>', 'the config (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
    .option('--quiet', 'print nothing when it is valid', false)
    .action((flags: { config?: string; quiet: boolean }) => {
      exit(validateCommand(flags));
    });

  program
    .command('permissions')
    .description("print every role Tributary deploys, its trust and each statement with what needs it (docs/permissions.md is the example config's)")
    .option('--config <file>', 'the organization config (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
    .action((flags: { config?: string }) => {
      exit(permissionsCommand(flags));
    });

  program
    .command('route')
    .description('print the workflow an EventBridge event starts and its input, or why none (- reads stdin)')
    .argument('<event.json>')
    .action((path: string) => {
      exit(routeCommand(path));
    });

  program
    .command('transform')
    .description('run the record processor on a Firehose transformation event and print its response (- reads stdin)')
    .argument('<firehose-event.json>')
    .option('--decode', 'show each record as its decoded JSON lines', false)
    .action(async (path: string, flags) => {
      exit(await transformCommand(path, flags));
    });

  deploymentOptions(
    program
      .command('onboard')
      .description('start onboard-account for an account in AWS (or --offline in a simulated organization) and follow it to the end')
      .argument('<account-id>')
      .option('--regions <list>', 'comma-separated governed regions to onboard (default: all it has enabled)'),
    SIMULATED_ORGANIZATION,
  )
    .option('--config <file>', SIMULATED_CONFIG)
    .action(async (accountId: string, flags) => {
      exit(await onboardCommand(accountId, flags));
    });

  deploymentOptions(
    program
      .command('offboard')
      .description(
        "start offboard-account for an account (or --offline) and follow it: out of the destination policy and GuardDuty; --remove-wiring also removes Tributary's own filters, flow logs and forwarding rule",
      )
      .argument('<account-id>')
      .option('--remove-wiring', "also remove Tributary's own subscription filters, flow logs and forwarding rule (never a foreign one, never a log)", false)
      .option('--force', 'offboard an account that is still an ACTIVE member (switches its logging off; otherwise refused)', false),
    SIMULATED_ORGANIZATION,
  )
    .option('--config <file>', SIMULATED_CONFIG)
    .action(async (accountId: string, flags) => {
      exit(await offboardCommand(accountId, flags));
    });

  program
    .command('cost')
    .description('the monthly cost of Tributary for a config (--config) from stated volumes: per service, with the dated price table and every assumption')
    .option('--config <file>', 'the organization config (default: TRIBUTARY_CONFIG_FILE, else the example)')
    .option('--gb-per-day <list>', 'log volume a day across the organization, by category: audit=5,network=20,application=10')
    .option('--log-groups <n>', 'log groups per account-region (default 50)')
    .option('--json', 'one JSON object', false)
    .action((flags) => {
      exit(costCommand(flags));
    });

  deploymentOptions(
    program
      .command('reconcile')
      .description('start a full reconcile (every ACTIVE account) in AWS (or --offline) and follow it: what it repaired, and which accounts failed'),
    SIMULATED_ORGANIZATION,
  )
    .option('--config <file>', SIMULATED_CONFIG)
    .action(async (flags) => {
      exit(await reconcileCommand(flags));
    });

  deploymentOptions(
    program
      .command('status')
      .description('recent executions of every workflow, and what the latest reconcile repaired')
      .option('--limit <n>', 'executions per workflow', wholeNumber(1), 5),
    'a simulated organization (no execution has run there yet)',
  )
    .option('--config <file>', SIMULATED_CONFIG)
    .action(async (flags) => {
      exit(await statusCommand(flags));
    });

  return program;
}
