/**
 * Replay's decisions one by one, with the keys and lines an attacker could leave in a bucket:
 * which proven objects a selection takes, how an object's lines become CloudWatch Logs payloads
 * (byte for byte, cut by group, stream and size), what a line that is not the archive's format
 * stops, and what replayObjects sends, skips, refuses and counts.
 */
import { gunzipSync, gzipSync } from 'zlib';
import { MemoryArchiveStore } from '../../sim/archive';
import { sha256Hex } from '../../tasks/lib/archive/digest';
import { payloadsOfObject, REPLAY_FILTER_NAME, replayObjects, selectObjects, type ReplayPorts } from '../../tasks/lib/archive/replay';
import type { ProvenObject } from '../../tasks/lib/archive/verify';
import { renderPayload } from '../../tasks/lib/data-path/log-line';
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 30);
const OWNER = '100000000001';

const proven = (key: string, hour: number): ProvenObject => ({ chain: 'eu-west-1', key, size: 1, sha256: 'x', hour: START + hour * HOUR });
const keyOf = (account: string, category: string, hour: number, name = 'o.gz') =>
  `logs/region=eu-west-1/account=${account}/category=${category}/2026/11/30/${String(hour).padStart(2, '0')}/${name}`;

/** Archive lines as the archive's processor renders them. */
function rendered(logGroup: string, logStream: string, events: DataMessage['logEvents']): string {
  const payload: DataMessage = {
    messageType: 'DATA_MESSAGE',
    owner: OWNER as DataMessage['owner'],
    logGroup,
    logStream,
    subscriptionFilters: ['tributary-central-logging'],
    logEvents: events,
  };
  return Buffer.from(renderPayload(payload, {}).data, 'base64').toString('utf8');
}
const event = (id: string, message: string) => ({ id, timestamp: START, message });

describe('selectObjects', () => {
  const objects = [
    proven(keyOf(OWNER, 'audit', 0), 0),
    proven(keyOf(OWNER, 'network', 1), 1),
    proven(keyOf('100000000002', 'audit', 2), 2),
    proven(keyOf(OWNER, 'application', 3), 3),
    proven(`logs/region=eu-west-1/account=${OWNER}/2026/11/30/02/no-category.gz`, 2),
    proven('errors/processing-failed/2026/11/30/02/x.gz', 2),
    proven(`logs/region=eu-west-1/account=1000000000012/category=audit/2026/11/30/02/long-id.gz`, 2),
  ];

  it('takes the hours from `from` (inclusive) to `to` (exclusive)', () => {
    expect(selectObjects(objects, { from: START + HOUR, to: START + 3 * HOUR }).map((o) => o.hour)).toEqual([START + HOUR, START + 2 * HOUR, START + 2 * HOUR]);
  });

  it('takes only objects whose key names a 12-digit account, and only the accounts asked for', () => {
    const all = selectObjects(objects, { from: START, to: START + 4 * HOUR });
    expect(all.map((o) => o.key)).not.toContainEqual(expect.stringContaining('errors/'));
    expect(all.map((o) => o.key)).not.toContainEqual(expect.stringContaining('long-id'));
    expect(selectObjects(objects, { from: START, to: START + 4 * HOUR, accounts: new Set(['100000000002']) }).map((o) => o.key)).toEqual([
      keyOf('100000000002', 'audit', 2),
    ]);
  });

  it('takes only the categories asked for where the key names one, and a key of the account layout whatever is asked', () => {
    const audit = selectObjects(objects, { from: START, to: START + 4 * HOUR, categories: new Set(['audit'] as const) });
    expect(audit.map((o) => o.key)).toEqual([
      keyOf(OWNER, 'audit', 0),
      keyOf('100000000002', 'audit', 2),
      `logs/region=eu-west-1/account=${OWNER}/2026/11/30/02/no-category.gz`,
    ]);
  });
});

describe('payloadsOfObject', () => {
  const key = keyOf(OWNER, 'application', 0);

  it("gives each run of one group and stream's lines as one payload, byte for byte, owned by the key's account and marked as a replay", () => {
    // Prepare: a stream name with quotes, an id that is not digits (an invalid line), a long message kept as base64
    const lines = [
      rendered('/aws/lambda/a', 'stream "1"', [event('1', 'one "quoted"\tü 🚀'), event('2', 'two')]),
      rendered('/aws/lambda/a', 'stream "2"', [event('3', 'three')]),
      rendered('/aws/lambda/b', 'stream "2"', [event('4', 'x'.repeat(1_100_000)), event('not-digits', 'forged')]),
      rendered('/aws/lambda/a', 'stream "1"', [event('5', 'five')]),
    ].join('');

    // Act
    const payloads = payloadsOfObject(key, gzipSync(lines));

    // Assess
    expect(payloads.map((p) => [p.logGroup, p.logStream, p.logEvents.length])).toEqual([
      ['/aws/lambda/a', 'stream "1"', 2],
      ['/aws/lambda/a', 'stream "2"', 1],
      // The long message fills a payload on its own.
      ['/aws/lambda/b', 'stream "2"', 1],
      ['/aws/lambda/b', 'stream "2"', 1],
      ['/aws/lambda/a', 'stream "1"', 1],
    ]);
    for (const p of payloads)
      expect(p).toMatchObject({ messageType: 'DATA_MESSAGE', owner: OWNER, subscriptionFilters: [REPLAY_FILTER_NAME], reingestedBy: 'siem' });
    expect(REPLAY_FILTER_NAME).toBe('tributary-replay');
    expect(payloads[0]!.logEvents).toEqual([event('1', 'one "quoted"\tü 🚀'), event('2', 'two')]);
    expect([...payloads[2]!.logEvents, ...payloads[3]!.logEvents]).toEqual([event('4', 'x'.repeat(1_100_000)), event('not-digits', 'forged')]);
    expect(payloads.map((p) => rendered(p.logGroup, p.logStream, p.logEvents)).join('')).toBe(lines);
  });

  it('cuts a run where its payload would pass 900,000 characters', () => {
    const lines = rendered('/aws/lambda/a', 's', [event('1', 'a'.repeat(500_000)), event('2', 'b'.repeat(399_000)), event('3', 'c'.repeat(10_000))]);
    const payloads = payloadsOfObject(key, gzipSync(lines));
    expect(payloads.map((p) => p.logEvents.map((e) => (e as { id: string }).id))).toEqual([['1', '2'], ['3']]);
  });

  it('keeps only the categories asked for, by the log group of each line', () => {
    const lines = rendered('aws-cloudtrail-logs-org', 's', [event('1', '{}')]) + rendered('/aws/lambda/a', 's', [event('2', 'app')]);
    expect(payloadsOfObject(key, gzipSync(lines), new Set(['audit'] as const)).map((p) => p.logGroup)).toEqual(['aws-cloudtrail-logs-org']);
    expect(payloadsOfObject(key, gzipSync(lines), new Set(['network'] as const))).toEqual([]);
  });

  it.each([
    ['a key that names no account', `logs/region=eu-west-1/account=12345/x.gz`, '{}\n', `logs/region=eu-west-1/account=12345/x.gz: the key names no account`],
    ['a line that is not JSON', key, `${rendered('/a', 's', [event('1', 'm')])}{"logGroup":\n`, `${key} line 2: not JSON`],
    [
      'a logGroup that is not a string',
      key,
      '{"logGroup":1,"logStream":"s","id":"1","timestamp":1,"message":"m"}\n',
      `${key} line 1: logGroup is not a string`,
    ],
    [
      'a logStream that is not a string',
      key,
      '{"logGroup":"/a","logStream":null,"id":"1","timestamp":1,"message":"m"}\n',
      `${key} line 1: logStream is not a string`,
    ],
    [
      'a message that is not a string',
      key,
      '{"logGroup":"/a","logStream":"s","id":"1","timestamp":1,"message":{}}\n',
      `${key} line 1: message is not a string`,
    ],
    ['an id that is not a string', key, '{"logGroup":"/a","logStream":"s","id":1,"timestamp":1,"message":"m"}\n', `${key} line 1: id is not a string`],
    ['an invalid line without its event', key, '{"logGroup":"/a","logStream":"s","invalid":"why"}\n', `${key} line 1: event is not a string`],
  ])('stops at %s, naming the key and line', (_, objectKey, text, message) => {
    const parsing = () => payloadsOfObject(objectKey, gzipSync(text));
    expect(parsing).toThrow(message);
    expect(parsing).toThrow(expect.objectContaining({ name: 'ArchiveLine' }));
  });

  it('gives an invalid line back as the event it kept, from its text or its base64', () => {
    const original = { id: 'x', timestamp: 'soon', message: 5 };
    const text = JSON.stringify(original);
    const lines = [
      JSON.stringify({ logGroup: '/a', logStream: 's', invalid: 'bad', event: text }),
      JSON.stringify({ logGroup: '/a', logStream: 's', invalid: 'bad', eventBase64: Buffer.from(text).toString('base64') }),
      JSON.stringify({ logGroup: '/a', logStream: 's', id: '7', timestamp: 3, messageBase64: Buffer.from('é\n').toString('base64') }),
    ].join('\n');
    expect(payloadsOfObject(key, gzipSync(lines))[0]!.logEvents).toEqual([original, original, { id: '7', timestamp: 3, message: 'é\n' }]);
  });
});

describe('replayObjects', () => {
  async function world() {
    const store = new MemoryArchiveStore();
    const sent: Array<{ region: string; records: readonly { data: Buffer; partitionKey: string }[] }> = [];
    const paced: number[] = [];
    const done = new Set<string>();
    const ports: ReplayPorts = {
      store,
      send: async (region, records) => void sent.push({ region, records }),
      checkpoint: { has: (k) => done.has(k), add: async (k) => void done.add(k) },
      pace: async (bytes) => void paced.push(bytes),
    };
    const put = async (key: string, text: string): Promise<ProvenObject> => {
      const bytes = gzipSync(text);
      const { versionId } = await store.put(key, bytes, {});
      return { chain: 'eu-west-1', key, versionId, size: bytes.length, sha256: sha256Hex(bytes), hour: START };
    };
    return { store, sent, paced, done, ports, put };
  }

  it('sends each object on its chain, counts events and bytes, paces by what it sent, and checkpoints it', async () => {
    // Prepare
    const w = await world();
    const a = await w.put(
      keyOf(OWNER, 'application', 0, 'a.gz'),
      rendered('/a', 's1', [event('1', 'x'), event('2', 'y')]) + rendered('/a', 's2', [event('3', 'z')]),
    );
    const b = await w.put(keyOf(OWNER, 'application', 0, 'b.gz'), rendered('/b', 's', [event('4', 'w')]));
    const progress: Array<[number, number]> = [];

    // Act
    const totals = await replayObjects([a, b], w.ports, { onObject: (i, n) => progress.push([i, n]) });

    // Assess
    const bytes = w.sent.flatMap((s) => s.records).reduce((n, r) => n + r.data.length, 0);
    expect(totals).toEqual({ objects: 2, skipped: 0, events: 4, bytesSent: bytes, changed: [] });
    expect(w.sent.map((s) => [s.region, s.records.map((r) => r.partitionKey)])).toEqual([
      ['eu-west-1', ['s1', 's2']],
      ['eu-west-1', ['s']],
    ]);
    expect(JSON.parse(gunzipSync(w.sent[0]!.records[0]!.data).toString())).toMatchObject({
      logGroup: '/a',
      logStream: 's1',
      logEvents: [event('1', 'x'), event('2', 'y')],
    });
    expect(w.paced).toEqual(w.sent.map((s) => s.records.reduce((n, r) => n + r.data.length, 0)));
    expect([...w.done]).toEqual([a.key, b.key]);
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('skips what the checkpoint has, sends nothing for an object without a line asked for, and still checkpoints it', async () => {
    const w = await world();
    const a = await w.put(keyOf(OWNER, 'application', 0, 'a.gz'), rendered('/a', 's', [event('1', 'x')]));
    const b = await w.put(keyOf(OWNER, 'application', 0, 'b.gz'), rendered('/b', 's', [event('2', 'y')]));
    w.done.add(a.key);
    const totals = await replayObjects([a, b], w.ports, { categories: new Set(['audit'] as const) });
    expect(totals).toEqual({ objects: 2, skipped: 1, events: 0, bytesSent: 0, changed: [] });
    expect(w.sent).toEqual([]);
    expect(w.done.has(b.key)).toBe(true);
  });

  it('sends no object whose bytes are gone, of another size, or of the same size with other bytes', async () => {
    // Prepare
    const w = await world();
    const gone = await w.put(keyOf(OWNER, 'application', 0, 'gone.gz'), rendered('/a', 's', [event('1', 'x')]));
    w.store.destroy(gone.key);
    const resized = await w.put(keyOf(OWNER, 'application', 0, 'resized.gz'), rendered('/a', 's', [event('2', 'x')]));
    const sameSize = await w.put(keyOf(OWNER, 'application', 0, 'same.gz'), rendered('/a', 's', [event('3', 'x')]));

    // Act
    const totals = await replayObjects([gone, { ...resized, size: resized.size + 1 }, { ...sameSize, sha256: '0'.repeat(64) }], w.ports);

    // Assess
    expect(totals.changed).toEqual([
      { key: gone.key, detail: 'it is gone' },
      { key: resized.key, detail: 'its bytes no longer hash as its digest lists' },
      { key: sameSize.key, detail: 'its bytes no longer hash as its digest lists' },
    ]);
    expect(w.sent).toEqual([]);
    expect(w.done.size).toBe(0);
  });
});
