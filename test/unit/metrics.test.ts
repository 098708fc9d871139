/** Task metrics through Powertools: the EMF object a task writes is the metric its alarm watches. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { TaskContext } from '../../tasks/lib/context';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, publishMetric, taskMetrics, type MetricDatum } from '../../tasks/lib/metrics';

function emfLines(act: () => void): Array<Record<string, any>> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

describe('publishMetric', () => {
  const now = Date.now();
  const context = (sink?: (d: MetricDatum) => void) =>
    ({
      logger: new Logger({ logLevel: 'SILENT' }),
      clock: { now: () => now, sleep: async () => undefined },
      emf: taskMetrics(),
      ...(sink ? { metrics: sink } : {}),
    }) as unknown as TaskContext;

  it("writes one EMF object per datum: the service alone (the alarms' dimension set) and the service with the datum's dimensions", () => {
    // Prepare
    const seen: MetricDatum[] = [];

    // Act
    const [emf] = emfLines(() =>
      publishMetric(
        context((d) => seen.push(d)),
        'tampering',
        { name: 'TamperDetected', value: 1, unit: 'Count', dimensions: { Kind: 'flow-log' } },
      ),
    );

    // Assess
    expect(emf!._aws).toEqual({
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(METRIC_DIMENSIONS), [...Object.keys(METRIC_DIMENSIONS), 'Kind']],
          Metrics: [{ Name: 'TamperDetected', Unit: 'Count' }],
        },
      ],
    });
    expect(emf).toMatchObject({ ...METRIC_DIMENSIONS, Kind: 'flow-log', TamperDetected: 1 });
    expect(seen).toEqual([{ namespace: METRIC_NAMESPACE, name: 'TamperDetected', value: 1, unit: 'Count', dimensions: { Kind: 'flow-log' }, timestamp: now }]);
  });

  it('publishes a datum without dimensions in the service set alone, and never carries one datum into the next', () => {
    // Prepare
    const ctx = context();

    // Act
    const lines = emfLines(() => {
      publishMetric(ctx, 'first', { name: 'A', value: 2, unit: 'Seconds', dimensions: { Kind: 'x' } });
      publishMetric(ctx, 'second', { name: 'ReconcileFailedAccounts', value: 3, unit: 'Count', dimensions: {} });
    });

    // Assess
    expect(lines).toHaveLength(2);
    expect(lines[1]!._aws.CloudWatchMetrics).toEqual([
      { Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(METRIC_DIMENSIONS)], Metrics: [{ Name: 'ReconcileFailedAccounts', Unit: 'Count' }] },
    ]);
    expect(lines[1]).not.toHaveProperty('Kind');
    expect(lines[1]).not.toHaveProperty('A');
  });
});
