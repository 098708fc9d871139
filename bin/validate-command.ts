/** `tributary validate`: checks a config and says what is wrong, one line per problem (exit 2), or that it is valid, with what it leaves to you. */
import type { TributaryConfig } from '../tasks/lib/config';
import { memberRegionTriggers } from '../workflows/forwarding';
import { configPath, readConfig } from './config-file';
import { reportProblems } from './problems';

/** What a valid config still leaves unchecked or undone, one line each. */
export function configNotices(config: TributaryConfig): string[] {
  const notices: string[] = [];
  if (!config.notifications)
    notices.push('config.notifications: not set: every alarm fires into the void; add {"email": "..."} so each stack\'s alarms notify someone');
  if (config.cloudTrail === 'off')
    notices.push(
      `config.cloudTrail: "off": no trail is created or checked; ${memberRegionTriggers().join(', ')} fire only in account-regions where a trail of yours logs management write events`,
    );
  if (config.cloudTrail === 'existing')
    notices.push('config.cloudTrail: "existing": `tributary plan` names every account-region no trail logs, where the CloudTrail triggers cannot fire');
  const destination = config.siem?.destination;
  if (destination && destination.type !== 'opensearch')
    notices.push(
      `config.siem.destination: the secret ${destination.type === 'http' ? destination.accessKeySecretArn : destination.hecTokenSecretArn} is not read offline: it must hold {"${destination.type === 'http' ? 'api_key' : 'hec_token'}": "..."} and let the SIEM Firehose's role read it (its key too); the endpoint is first reached on deploy`,
    );
  if (destination?.type === 'opensearch')
    notices.push(
      `config.siem.destination: the domain ${destination.domainArn} must let the SIEM Firehose's role write (its access policy, or fine-grained access control's role mapping)`,
    );
  if (config.backfill)
    notices.push(
      `config.backfill: onboarding starts backfill-region for each account-region, archiving up to ${config.backfill.days} days of each subscribed group's history once; the daily reconcile resumes what is unfinished and \`tributary plan\` estimates bytes, time and cost`,
    );
  const reached = [config.accounts.logging, ...(config.guardDuty.mode === 'off' ? [] : [config.guardDuty.administratorAccount])];
  notices.push(
    `config.memberBaselineTargets: ${[...new Set(reached)].join(' and ')} must be inside ${config.memberBaselineTargets.join(', ')}: the tasks reach ${reached.length > 1 ? 'them' : 'it'} through member roles; \`tributary plan\` checks it against AWS, with the delegations`,
  );
  return notices;
}

export function validateCommand(flags: { config?: string; quiet?: boolean }): number {
  const path = configPath(flags.config);
  try {
    const config = readConfig(path);
    if (!flags.quiet) {
      console.log(`${path}: valid (organization ${config.organizationId}, ${config.governedRegions.length} governed regions, home ${config.homeRegion})`);
      for (const notice of configNotices(config)) console.log(`note: ${notice}`);
    }
    return 0;
  } catch (error) {
    return reportProblems('validate', error);
  }
}
