/** The `tributary` command line. */
import '../workflows/local/polyfills';
import { Command, InvalidArgumentError } from 'commander';
import { onboardCommand } from './onboard-command';
import { permissionsCommand } from './permissions-command';
import { routeCommand } from './route-command';
import { statusCommand } from './status-command';
import { simulateCommand } from './simulate-command';
import { transformCommand } from './transform-command';

function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number >= ${min}, got "${value}"`);
    return n;
  };
}

function rate(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`${name} must be a number in [0, 1), got "${value}"`);
    return n;
  };
}

const program = new Command('tributary').description('Hands-off centralized security logging for an AWS Organization').showHelpAfterError();

program
  .command('simulate')
  .description('run a simulated organization end to end, offline (onboarding, a new account, a region enabled, new log groups and VPCs, an account leaving), and print coverage')
  .option('--json', 'print one JSON report instead of tables', false)
  .option('--seed <n>', 'seed for the organization and the faults', wholeNumber('--seed', 0), 1)
  .option('--accounts <n>', 'member accounts', wholeNumber('--accounts', 1), 12)
  .option('--log-groups <n>', 'existing log groups per account and region', wholeNumber('--log-groups', 0), 36)
  .option('--vpcs <n>', 'existing VPCs per account and region', wholeNumber('--vpcs', 0), 3)
  .option('--destination-access <mode>', "organization or account-list (default: the config's)", (value: string) => {
    if (value !== 'organization' && value !== 'account-list') throw new InvalidArgumentError(`--destination-access must be "organization" or "account-list", got "${value}"`);
    return value;
  })
  .option('--faults <rate>', 'probability that a call is throttled', rate('--faults'), 0.05)
  .option('--server-errors <rate>', 'probability that a call fails with a 5xx', rate('--server-errors'), 0.01)
  .option('--late-log-groups <n>', 'reads before a new log group is visible', wholeNumber('--late-log-groups', 0), 1)
  .option('--late-roles <n>', "AssumeRole attempts refused before the new account's baseline role exists", wholeNumber('--late-roles', 0), 2)
  .option('--config <file>', 'the organization config to simulate (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
  .option('--after-write-failures <rate>', 'probability that a write takes effect and then reports a 5xx', rate('--after-write-failures'), 0.01)
  .option('--concurrency <n>', 'executions at once', wholeNumber('--concurrency', 1), 32)
  .action(async (flags) => {
    process.exitCode = await simulateCommand(flags);
  });

program
  .command('permissions')
  .description('print every role Tributary deploys, its trust and each statement with what needs it (docs/permissions.md is the example config\'s)')
  .option('--config <file>', 'the organization config (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
  .action((flags: { config?: string }) => {
    process.exitCode = permissionsCommand(flags);
  });

program
  .command('route')
  .description('print the workflow an EventBridge event starts and its input, or why none (- reads stdin)')
  .argument('<event.json>')
  .action((path: string) => {
    process.exitCode = routeCommand(path);
  });

program
  .command('transform')
  .description("run the record processor on a Firehose transformation event and print its response (- reads stdin)")
  .argument('<firehose-event.json>')
  .option('--decode', 'show each record as its decoded JSON lines', false)
  .action(async (path: string, flags) => {
    process.exitCode = await transformCommand(path, flags);
  });

program
  .command('onboard')
  .description('start onboard-account for an account in AWS (or --offline in a simulated organization) and follow it to the end')
  .argument('<account-id>')
  .option('--regions <list>', 'comma-separated governed regions to onboard (default: all it has enabled)')
  .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
  .option('--region <region>', 'the home region where Tributary is deployed (default: AWS_REGION)')
  .option('--offline', 'run against a simulated organization, no AWS needed', false)
  .option('--config <file>', 'with --offline: the organization config to simulate (default: $TRIBUTARY_CONFIG_FILE, else the committed example)')
  .action(async (accountId: string, flags) => {
    process.exitCode = await onboardCommand(accountId, flags);
  });

program
  .command('status')
  .description('recent executions of every workflow, and what the latest reconcile repaired')
  .option('--limit <n>', 'executions per workflow', wholeNumber('--limit', 1), 5)
  .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
  .option('--region <region>', 'the home region where Tributary is deployed (default: AWS_REGION)')
  .option('--offline', 'a simulated organization (no execution has run there yet)', false)
  .action(async (flags) => {
    process.exitCode = await statusCommand(flags);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`tributary: ${(error as Error).message}`);
  process.exitCode = 2;
});
