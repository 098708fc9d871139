// The modules that decide, each with the suites that test it: Stryker mutates one group at a time
// and runs only those suites (a mutant is killed by a test written for its module, not by chance).
export const GROUPS = {
  'event-pattern': {
    mutate: ['workflows/event-pattern.ts'],
    tests: ['test/unit/event-pattern.test.ts', 'test/unit/event-pattern-edges.test.ts', 'test/workflows/event-pattern-corpus.test.ts'],
  },
  routing: {
    mutate: ['workflows/routing.ts', 'workflows/forwarding.ts', 'workflows/input-mapping.ts'],
    tests: [
      'test/unit/routing.test.ts',
      'test/unit/routing-edges.test.ts',
      'test/unit/forwarding.test.ts',
      'test/unit/tampering.test.ts',
      'test/unit/partition.test.ts',
    ],
  },
  config: {
    mutate: ['tasks/lib/config.ts'],
    tests: [
      'test/unit/config.test.ts',
      'test/unit/config-refusals.test.ts',
      'test/unit/config-siem.test.ts',
      'test/unit/config-edges.test.ts',
      'test/unit/partition.test.ts',
    ],
  },
  // The type checker took most of an hour on these groups' hundreds of mutants without ending:
  // they run without it, so a mutant TypeScript would refuse is tested as the JavaScript it
  // compiles to (SWC strips types), and counts as a survivor when no test tells it apart.
  archive: {
    typeCheck: false,
    mutate: ['tasks/lib/archive/*.ts', '!tasks/lib/archive/aws.ts'],
    tests: ['test/archive/*.test.ts', 'test/siem/replay.test.ts', 'test/workflows/backfill-region/backfill-proof.test.ts'],
  },
  'data-path': {
    typeCheck: false,
    mutate: ['tasks/lib/data-path/*.ts'],
    tests: ['test/data-path/*.test.ts', 'test/ocsf/*.test.ts', 'test/unit/log-source.test.ts', 'test/unit/epoch-millis-text.test.ts'],
  },
  // The scan the processor copies messages by: a span that is not the parsed message would change the archive.
  'message-spans': {
    mutate: ['tasks/lib/data-path/message-spans.ts'],
    tests: ['test/data-path/message-spans.test.ts', 'test/data-path/log-line.test.ts'],
  },
  plans: {
    mutate: ['tasks/lib/subscription-plan.ts', 'tasks/lib/flow-log-plan.ts', 'tasks/lib/ownership.ts', 'tasks/lib/drift.ts', 'tasks/lib/destination-policy.ts'],
    tests: [
      'test/unit/subscription-plan.test.ts',
      'test/unit/drift.test.ts',
      'test/unit/destination-policy.test.ts',
      'test/unit/flow-log-plan.test.ts',
      'test/unit/ownership.test.ts',
    ],
  },
  domain: {
    mutate: ['tasks/lib/domain.ts'],
    tests: ['test/unit/domain.test.ts'],
  },
  trail: {
    mutate: ['tasks/lib/trail-coverage.ts'],
    tests: ['test/unit/trail-coverage.test.ts'],
  },
  'account-policy': {
    mutate: ['tasks/lib/account-policy.ts'],
    tests: ['test/unit/account-policy.test.ts'],
  },
  paging: {
    mutate: ['tasks/lib/log-group-paging.ts'],
    tests: ['test/unit/log-group-paging.test.ts'],
  },
  coordination: {
    mutate: ['tasks/lib/lease-lock.ts', 'tasks/lib/rate-limiter.ts', 'tasks/lib/destination-access.ts', 'tasks/lib/account-starts.ts'],
    tests: [
      'test/unit/account-starts.test.ts',
      'test/unit/leases.test.ts',
      'test/unit/desired-destination-policy.test.ts',
      'test/unit/destination-access.test.ts',
      'test/unit/rate-limiter.test.ts',
    ],
  },
};
