/**
 * What `tributary simulate`'s exit code says, as the README says it (issue #24 item 6): 1 for
 * anything Tributary could cover left uncovered; 0 when the only uncovered log groups are those
 * whose two filter slots other teams' filters fill.
 */
import { simulationGaps } from '../../bin/simulate-command';

const converged = {
  coverage: {
    logGroups: { total: 100, subscribed: 80, excluded: 10, noSlot: 10, missing: 0 },
    noFilterSlot: [],
    vpcs: { total: 3, withFlowLogs: 3 },
    guardDuty: { expected: 3, members: 3 },
    destinationAccess: { mode: 'organization', members: 3, regions: {}, exact: true },
  },
  executions: { started: 10, succeeded: 10, failed: 0, byWorkflow: {}, failures: [] },
  integrity: { foreignFiltersChanged: 0, duplicateFilters: 0, foreignFlowLogsChanged: 0, duplicateFlowLogs: 0 },
  tampering: { calls: 3, prevented: 1, repaired: 2, events: 2, worstSecondsToRepair: 170 },
};

describe('simulate exit code', () => {
  it('is 0 with log groups no filter slot is free for: only their owners can act', () => {
    expect(simulationGaps(converged)).toBe(0);
  });

  it.each([
    ['a log group missing its filter', { coverage: { ...converged.coverage, logGroups: { ...converged.coverage.logGroups, missing: 1 } } }],
    ['a VPC without its flow log', { coverage: { ...converged.coverage, vpcs: { total: 3, withFlowLogs: 2 } } }],
    ['a GuardDuty member missing', { coverage: { ...converged.coverage, guardDuty: { expected: 3, members: 2 } } }],
    ['a failed execution', { executions: { ...converged.executions, failed: 1 } }],
    [
      'a destination policy that is not exactly the members',
      { coverage: { ...converged.coverage, destinationAccess: { ...converged.coverage.destinationAccess, exact: false } } },
    ],
    ['a foreign filter changed', { integrity: { ...converged.integrity, foreignFiltersChanged: 1 } }],
    ['tampering neither prevented nor repaired', { tampering: { ...converged.tampering, repaired: 1 } }],
  ])('is 1 for %s', (_what, change) => {
    expect(simulationGaps({ ...converged, ...change } as typeof converged)).toBeGreaterThan(0);
  });
});
