/**
 * Under 15% extra throttling and 2% 5xx on top of AWS's rate quotas, and writes that fail after
 * they applied, different organizations and fault sequences (5 in npm test; TRIBUTARY_SEEDS=10
 * for the ten of session 2, all passing) all end fully covered, with no
 * failed execution, nothing foreign changed and nothing duplicated.
 */
import { runSimulation } from '../../sim/simulation';

// Five seeds in npm test (each story costs about 3 s); TRIBUTARY_SEEDS runs more.
const SEEDS = Array.from({ length: Number(process.env.TRIBUTARY_SEEDS ?? 5) }, (_, i) => 100 + i);

describe(`the story under heavy faults, ${SEEDS.length} seeds`, () => {
  it.each(SEEDS)('seed %i converges', async (seed) => {
    // Act
    const report = await runSimulation({
      seed,
      size: { accounts: 4, logGroupsPerRegion: 15, vpcsPerRegion: 2 },
      faults: { throttleRate: 0.15, serverErrorRate: 0.02, afterWriteFailureRate: 0.01, lateLogGroupReads: 1, lateRoleAttempts: 2 },
      destinationAccess: seed % 2 === 0 ? 'account-list' : 'organization',
    });

    // Assess
    expect(report.executions.failures).toEqual([]);
    expect(report.events.lost).toEqual([]);
    expect(report.coverage.logGroups.missing).toBe(0);
    expect(report.coverage.vpcs.withFlowLogs).toBe(report.coverage.vpcs.total);
    expect(report.coverage.guardDuty.members).toBe(report.coverage.guardDuty.expected);
    expect(report.coverage.destinationAccess.exact).toBe(true);
    expect(report.integrity).toEqual({ foreignFiltersChanged: 0, duplicateFilters: 0, foreignFlowLogsChanged: 0, duplicateFlowLogs: 0 });
    expect(report.faultsInjected.throttle).toBeGreaterThan(50);
  });
});
