/**
 * Replay of a simulated week of the archive into a collector over loopback HTTP, through the same
 * SIEM path as live logs (the stream, the SIEM processor, Firehose's HTTP delivery): what arrives
 * equals the archive's lines for the window, in count and content; a tampered object is refused
 * with the verify problem and not sent; an interrupted replay resumes where it stopped.
 */
import { gunzipSync } from 'zlib';
import { simulatedArchive, type SimulatedArchive } from '../../sim/archive';
import type { HttpEndpointDestination } from '../../sim/firehose-http-endpoint';
import { SimulatedSiemConsumer, type StreamRecord } from '../../sim/siem-consumer';
import { HOUR_MS } from '../../tasks/lib/archive/digest';
import { replayObjects, selectObjects, type ReplayCheckpoint, type ReplayPorts } from '../../tasks/lib/archive/replay';
import { verifyArchive, type ProvenObject } from '../../tasks/lib/archive/verify';
import { renderPayload } from '../../tasks/lib/data-path/log-line';
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import type { Clock } from '../../tasks/lib/clock';
import { FirehoseEndpointServer } from '../../sim/firehose-endpoint-server';

const REGION = 'eu-west-1';
const START = Date.UTC(2026, 10, 30);
const DAY = 24 * HOUR_MS;
const ACCESS_KEY = 'replay-key';

/** Real archive lines, as the archive's processor renders them: quotes, unicode, tabs, a CloudTrail event, an invalid event. */
function lines(at: number, hour: number, index: number): string {
  const payload: DataMessage = {
    messageType: 'DATA_MESSAGE',
    owner: '100000000001' as DataMessage['owner'],
    logGroup: index % 2 ? 'aws-cloudtrail-logs-org' : '/aws/lambda/orders',
    logStream: `stream "${hour}" ✓`,
    subscriptionFilters: ['tributary-central-logging'],
    logEvents: [
      { id: `${at}${index}1`, timestamp: at + index, message: `hour ${hour} object ${index}: "quoted"\ttab ü 🚀` },
      {
        id: `${at}${index}2`,
        timestamp: at + index,
        message: JSON.stringify({ eventVersion: '1.10', eventSource: 'iam.amazonaws.com', eventName: 'DeleteRole' }),
      },
      ...(index === 0 ? [{ id: 'not-digits', timestamp: at, message: 'forged' }] : []),
    ],
  };
  return Buffer.from(renderPayload(payload, {}).data, 'base64').toString('utf8');
}

function steppedClock(): Clock {
  let now = START + 8 * DAY;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

class MemoryCheckpoint implements ReplayCheckpoint {
  public readonly done = new Set<string>();
  public has(key: string): boolean {
    return this.done.has(key);
  }
  public async add(key: string): Promise<void> {
    this.done.add(key);
  }
}

/** The archive lines of the proven objects, in replay order. */
async function archivedLines(archive: SimulatedArchive, objects: readonly ProvenObject[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of objects)
    out.push(
      ...gunzipSync((await archive.store.get(o.key, o.versionId))!.bytes)
        .toString('utf8')
        .split('\n')
        .filter(Boolean),
    );
  return out;
}

describe('replay', () => {
  let server: FirehoseEndpointServer;
  let destination: HttpEndpointDestination;
  let archive: SimulatedArchive;

  beforeEach(async () => {
    archive = await simulatedArchive({ regions: [REGION], hours: 7 * 24, objectsPerHour: 2, start: START, lines });
    server = new FirehoseEndpointServer(ACCESS_KEY);
    destination = {
      url: await server.start(),
      accessKey: ACCESS_KEY,
      sourceArn: `arn:aws:firehose:${REGION}:222222222222:deliverystream/tributary-siem`,
      retrySeconds: 300,
      gzip: true,
    };
  });
  afterEach(() => server.stop());

  async function proven(now: number) {
    return verifyArchive(archive.store, {
      trustedKey: archive.key.fingerprint,
      chains: [REGION],
      chain: REGION,
      now,
      from: START + DAY,
      to: START + 4 * DAY,
      listProven: true,
    });
  }

  function ports(consumer: SimulatedSiemConsumer, checkpoint: ReplayCheckpoint, send?: ReplayPorts['send']): ReplayPorts {
    return {
      store: archive.store,
      send: send ?? (async (_, records: readonly StreamRecord[]) => consumer.put(records)),
      checkpoint,
      pace: async () => undefined,
    };
  }

  const consumerOf = () =>
    new SimulatedSiemConsumer({
      view: { format: 'raw', categories: ['audit', 'network', 'application'] },
      region: REGION,
      destination,
      clock: steppedClock(),
      backup: async () => {
        throw new Error('nothing should fail');
      },
    });
  const received = () => [...server.stored.values()].flatMap((r) => r.records.flatMap((d) => d.toString('utf8').split('\n').filter(Boolean)));

  it('sends three days of a week, each line the archive holds for them once and byte for byte, and nothing outside the window', async () => {
    // Prepare
    const report = await proven(archive.now);
    const objects = selectObjects(report.proven!, { from: START + DAY, to: START + 4 * DAY });
    const consumer = consumerOf();

    // Act
    const totals = await replayObjects(objects, ports(consumer, new MemoryCheckpoint()));
    await consumer.flush();

    // Assess
    expect(report.problems).toEqual([]);
    expect(objects).toHaveLength(3 * 24 * 2);
    expect(totals).toMatchObject({ objects: 144, skipped: 0, changed: [] });
    const expected = await archivedLines(archive, objects);
    expect(received()).toEqual(expected);
    expect(expected.length).toBe(144 * 2 + 72);
    expect(expected.filter((l) => l.includes('"invalid"'))).toHaveLength(72);
  });

  it('refuses a tampered object with the verify problem and sends every other one', async () => {
    // Prepare
    const victim = archive.store.currentKeys(`logs/region=${REGION}/`).find((k) => k.includes('/2026/12/02/05/'))!;
    ((await archive.store.get(victim))!.bytes as Buffer).write('x', 20);
    const report = await proven(archive.now);
    const objects = selectObjects(report.proven!, { from: START + DAY, to: START + 4 * DAY });
    const consumer = consumerOf();

    // Act
    await replayObjects(objects, ports(consumer, new MemoryCheckpoint()));
    await consumer.flush();

    // Assess
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'object-modified', key: victim })]);
    expect(objects.map((o) => o.key)).not.toContain(victim);
    expect(objects).toHaveLength(143);
    expect(received()).toEqual(await archivedLines(archive, objects));
  });

  it('does not send an object changed between verify and replay: it is hashed again as it is read', async () => {
    // Prepare
    const objects = selectObjects((await proven(archive.now)).proven!, { from: START + DAY, to: START + 4 * DAY });
    const victim = objects[10]!;
    ((await archive.store.get(victim.key, victim.versionId))!.bytes as Buffer).write('x', 20);
    const consumer = consumerOf();

    // Act
    const totals = await replayObjects(objects, ports(consumer, new MemoryCheckpoint()));
    await consumer.flush();

    // Assess
    expect(totals.changed).toEqual([{ key: victim.key, detail: 'its bytes no longer hash as its digest lists' }]);
    expect(received()).toEqual(
      await archivedLines(
        archive,
        objects.filter((o) => o !== victim),
      ),
    );
  });

  it('resumes an interrupted replay where it stopped: every line once when the failed send applied nothing', async () => {
    // Prepare
    const objects = selectObjects((await proven(archive.now)).proven!, { from: START + DAY, to: START + 4 * DAY });
    const consumer = consumerOf();
    const checkpoint = new MemoryCheckpoint();
    let sends = 0;
    const failing: ReplayPorts['send'] = async (_, records) => {
      if (++sends === 40) throw new Error('ProvisionedThroughputExceededException');
      await consumer.put(records);
    };

    // Act
    await expect(replayObjects(objects, ports(consumer, checkpoint, failing))).rejects.toThrow('ProvisionedThroughputExceededException');
    const resumed = await replayObjects(objects, ports(consumer, checkpoint));
    await consumer.flush();

    // Assess
    expect(resumed.skipped).toBe(39);
    expect(received()).toEqual(await archivedLines(archive, objects));
  });

  it('repeats only the one object whose send applied and then failed, the at-least-once the stream allows', async () => {
    // Prepare
    const objects = selectObjects((await proven(archive.now)).proven!, { from: START + DAY, to: START + 4 * DAY });
    const consumer = consumerOf();
    const checkpoint = new MemoryCheckpoint();
    let sends = 0;
    const appliedThenFailed: ReplayPorts['send'] = async (_, records) => {
      await consumer.put(records);
      if (++sends === 40) throw new Error('socket hang up');
    };

    // Act
    await expect(replayObjects(objects, ports(consumer, checkpoint, appliedThenFailed))).rejects.toThrow('socket hang up');
    await replayObjects(objects, ports(consumer, checkpoint));
    await consumer.flush();

    // Assess
    const once = await archivedLines(archive, objects);
    const twice = await archivedLines(archive, [objects[39]!]);
    expect(received().length).toBe(once.length + twice.length);
    expect(received().sort()).toEqual([...once, ...twice].sort());
  });
});
