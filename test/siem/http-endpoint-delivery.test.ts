/**
 * The SIEM's Firehose delivering to an HTTP endpoint over real loopback HTTP, against a server
 * written to AWS's request and response specification: accepted deliveries, a refused access key
 * and a 500 that ends in the backup prefix with the reason, a collector that stores and then goes
 * silent. Nothing is lost: every line the SIEM processor produced is either stored by the endpoint
 * or in the backup. Duplicates are only what the specification allows: the same batch again under
 * the same request id, after the endpoint failed to acknowledge it, which the endpoint deduplicates.
 */
import { gunzipSync } from 'zlib';
import { deliverBatch, HTTP_ENDPOINT_FAILED, type HttpEndpointDestination } from '../../sim/firehose-http-endpoint';
import { firehoseRecord, generatePayload, SeededRandom } from '../../sim/log-payloads';
import { transformRecords } from '../../tasks/lib/data-path/transform';
import { siemConsumer } from '../../tasks/process-siem-records';
import type { Clock } from '../../tasks/lib/clock';
import { FirehoseEndpointServer } from '../../sim/firehose-endpoint-server';

const ACCESS_KEY = 'collector-key-"quoted"-ü';
const SOURCE_ARN = 'arn:aws:firehose:eu-west-1:222222222222:deliverystream/tributary-siem';

/** A clock whose sleeps cost no wall time: the retry waits are Firehose's, not the test's. */
function steppedClock(): Clock & { slept: number } {
  let now = Date.UTC(2026, 11, 6, 10);
  const clock = { slept: 0, now: () => now, sleep: async (ms: number) => void ((now += ms), (clock.slept += ms)) };
  return clock;
}

/** Batches of the SIEM processor's output (raw lines), from a seeded corpus of every category. */
async function processedBatches(seed: number, batches: number): Promise<string[][]> {
  const random = new SeededRandom(seed);
  const out: string[][] = [];
  for (let b = 0; b < batches; b++) {
    const records = Array.from({ length: 6 }, () => firehoseRecord(generatePayload(random)));
    const { records: processed } = await transformRecords(
      records,
      siemConsumer({ format: 'raw', categories: ['audit', 'network', 'application'] }, 'eu-west-1'),
    );
    out.push(processed.filter((r) => r.result === 'Ok').map((r) => r.data!));
  }
  return out;
}

const linesIn = (data: string | Buffer): string[] => {
  const text = (typeof data === 'string' ? Buffer.from(data, 'base64') : data).toString('utf8');
  return text.split('\n').filter((line) => line !== '');
};

describe('Firehose HTTP endpoint delivery (loopback)', () => {
  let server: FirehoseEndpointServer;
  let destination: HttpEndpointDestination;
  const backup = new Map<string, Buffer>();

  beforeEach(async () => {
    server = new FirehoseEndpointServer(ACCESS_KEY);
    destination = { url: await server.start(), accessKey: ACCESS_KEY, sourceArn: SOURCE_ARN, retrySeconds: 300, gzip: true };
    backup.clear();
  });
  afterEach(() => server.stop());

  const write = async (key: string, body: Buffer) => void backup.set(key, body);
  const storedLines = () => [...server.stored.values()].flatMap((r) => r.records.flatMap((data) => linesIn(data)));
  const backedUp = () =>
    [...backup.values()].flatMap((body) =>
      gunzipSync(body)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { errorCode: string; errorMessage: string; rawData: string; attemptsMade: number }),
    );

  it('delivers every line of every batch once, each batch one request with its own id, gzip and the stream ARN', async () => {
    // Prepare
    const batches = await processedBatches(1, 4);
    const clock = steppedClock();

    // Act
    const outcomes = [];
    for (const batch of batches) outcomes.push(await deliverBatch(batch, destination, clock, write));

    // Assess
    expect(outcomes.every((o) => o.delivered && o.attempts === 1)).toBe(true);
    expect(new Set(server.requests).size).toBe(4);
    expect([...server.stored.values()].every((r) => r.gzip && r.sourceArn === SOURCE_ARN)).toBe(true);
    expect(storedLines()).toEqual(batches.flat().flatMap(linesIn));
    expect(storedLines().length).toBeGreaterThan(100);
    expect(backup.size).toBe(0);
  });

  it.each([
    [
      'a refused access key',
      () => ({ accessKey: 'stolen-or-rotated' }),
      'HttpEndpoint.ResponseStatusCode.401',
      'the access key is not valid for this collector',
    ],
    [
      'a collector answering 500',
      (s: FirehoseEndpointServer) => (s.failNext(1000, 500, 'index is read-only'), {}),
      'HttpEndpoint.ResponseStatusCode.500',
      'index is read-only',
    ],
  ])('puts a batch that meets %s for the whole retry duration in the backup prefix, with the reason and every line', async (_, setUp, code, message) => {
    // Prepare
    const [batch] = await processedBatches(2, 1);
    const clock = steppedClock();
    const overrides = setUp(server);

    // Act
    const outcome = await deliverBatch(batch!, { ...destination, ...overrides }, clock, write);

    // Assess
    expect(outcome).toMatchObject({ delivered: false, errorCode: code, errorMessage: message });
    expect(outcome.attempts).toBeGreaterThan(1);
    expect(outcome.backupKey).toMatch(new RegExp(`^siem-failed/${HTTP_ENDPOINT_FAILED}/2026/12/06/10/${outcome.requestId}\\.gz$`));
    expect(clock.slept).toBeLessThanOrEqual(300_000);
    expect(new Set(server.requests)).toEqual(new Set([outcome.requestId]));
    expect(server.stored.size).toBe(0);
    const records = backedUp();
    expect(records.every((r) => r.errorCode === code && r.errorMessage === message && r.attemptsMade === outcome.attempts)).toBe(true);
    expect(records.flatMap((r) => linesIn(r.rawData))).toEqual(batch!.flatMap(linesIn));
  });

  it('delivers a batch once after a collector fails twice, under one request id, with nothing in the backup', async () => {
    // Prepare
    const [batch] = await processedBatches(3, 1);
    server.failNext(2, 503, 'overloaded');

    // Act
    const outcome = await deliverBatch(batch!, destination, steppedClock(), write);

    // Assess
    expect(outcome).toMatchObject({ delivered: true, attempts: 3 });
    expect(server.requests).toEqual([outcome.requestId, outcome.requestId, outcome.requestId]);
    expect(storedLines()).toEqual(batch!.flatMap(linesIn));
    expect(backup.size).toBe(0);
  });

  it('sends a batch again under the same request id when the collector stored it but never answered: the only duplicate the specification allows, and the endpoint drops it', async () => {
    // Prepare
    const [batch] = await processedBatches(4, 1);
    server.crashAfterStoring(1);

    // Act
    const outcome = await deliverBatch(batch!, destination, steppedClock(), write);

    // Assess
    expect(outcome).toMatchObject({ delivered: true, attempts: 2 });
    expect(server.requests).toEqual([outcome.requestId, outcome.requestId]);
    expect(server.stored.size).toBe(1);
    expect(storedLines()).toEqual(batch!.flatMap(linesIn));
  });

  it('gives up at once with a retry duration of 0, and backs up the batch with the connection error when nothing listens', async () => {
    // Prepare
    const [batch] = await processedBatches(5, 1);
    await server.stop();

    // Act
    const outcome = await deliverBatch(batch!, { ...destination, retrySeconds: 0 }, steppedClock(), write);

    // Assess
    expect(outcome).toMatchObject({ delivered: false, attempts: 1, errorCode: 'HttpEndpoint.ConnectionFailed' });
    expect(backedUp().flatMap((r) => linesIn(r.rawData))).toEqual(batch!.flatMap(linesIn));
    server = new FirehoseEndpointServer(ACCESS_KEY);
    await server.start();
  });
});
