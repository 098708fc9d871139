/** Live progress: a rewritten line with counts, rate and time on a terminal; nothing in CI, in pipes or under --json. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { formatProgress, interactive, LiveProgress } from '../../bin/progress';
import { followHistory, type ExecutionProgress } from '../../bin/step-functions';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (chunk: string) => (written.push(chunk), true) } };
}

describe('live progress', () => {
  it('rewrites one line on a terminal with the counts, their rate and the time, and clears it at the end', () => {
    // Prepare
    let now = 0;
    const { written, stream } = terminal(true);
    const progress = new LiveProgress({ stream, enabled: true, now: () => now });

    // Act
    now = 4000;
    progress.update('OnboardRegions', 12, 30, 'iterations');
    progress.end();

    // Assess
    expect(written).toEqual(['\r\x1b[KOnboardRegions: 12/30 iterations, 3.0/s, 4 s', '\r\x1b[K']);
  });

  it('writes nothing where no person watches: a pipe, a CI run, or --json', () => {
    const { written, stream } = terminal(false);
    new LiveProgress({ stream }).update('phase', 1, 2);
    expect(written).toEqual([]);
    expect(interactive({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(interactive({ isTTY: true }, {})).toBe(true);
    expect(interactive({ isTTY: false }, {})).toBe(false);
  });

  it('formats a count without a total, and a rate of thousands without decimals', () => {
    expect(formatProgress('verify', 25_000, undefined, 2000, 'objects')).toBe('verify: 25000 objects, 12500/s, 2 s');
  });
});

describe('following an execution', () => {
  const event = (id: number, type: string, extra: Partial<HistoryEvent> = {}): HistoryEvent => ({ id, type, timestamp: new Date(0), ...extra }) as HistoryEvent;

  it('counts Map iterations started, ended and failed, and names the states entered once each', () => {
    // Prepare
    const progress: ExecutionProgress = { state: 'starting', iterations: 0, ended: 0, failed: 0, lastEventId: 0 };
    const first = [
      event(1, 'ExecutionStarted'),
      event(2, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'DescribeMemberAccount' } }),
      event(3, 'MapStateEntered', { stateEnteredEventDetails: { name: 'OnboardRegions' } }),
      event(4, 'MapStateStarted', { mapStateStartedEventDetails: { length: 3 } }),
      event(5, 'MapIterationSucceeded'),
    ];

    // Act
    const enteredFirst = followHistory(progress, first);
    const enteredAgain = followHistory(progress, [...first, event(6, 'MapIterationFailed'), event(7, 'MapIterationSucceeded')]);

    // Assess
    expect(enteredFirst).toEqual(['DescribeMemberAccount', 'OnboardRegions']);
    expect(enteredAgain).toEqual([]);
    expect(progress).toEqual({ state: 'OnboardRegions', iterations: 3, ended: 3, failed: 1, lastEventId: 7 });
  });
});
