/**
 * Decoding a Kinesis record into a CloudWatch Logs subscription payload, on its own: every envelope
 * field at its edges, with values a member chooses (names one character past AWS's pattern,
 * account ids with a digit too many, markers of another type), and each reason named exactly,
 * because the reason is what an operator reads under the error prefix.
 */
import { gzipSync } from 'zlib';
import { decodeRecord, shown, splitPayload, UnrenderableEventError, writableJson, type DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';

const ENVELOPE = {
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/app/orders',
  logStream: 'stream',
  subscriptionFilters: ['f'],
  logEvents: [],
};

const record = (json: string): string => gzipSync(json).toString('base64');
const reasonFor = (fields: Record<string, unknown>): string | undefined => {
  const decoded = decodeRecord(record(JSON.stringify({ ...ENVELOPE, ...fields })));
  return decoded.ok ? undefined : decoded.reason;
};

describe('the envelope', () => {
  it('a payload as CloudWatch Logs sends it decodes, with the JSON text it was read from', () => {
    const json = JSON.stringify(ENVELOPE);
    const decoded = decodeRecord(record(json));
    expect(decoded).toEqual({ ok: true, payload: ENVELOPE, text: Buffer.from(json) });
  });

  it.each([
    ['a log group name of 512 characters', { logGroup: 'g'.repeat(512) }],
    ['a log stream name of 512 characters with quotes', { logStream: '"\''.repeat(256) }],
    ['a backfill marker', { backfill: true }],
    ['a re-ingestion marker', { reingestedBy: 'siem' }],
    ['a control message without a data envelope', { messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', logEvents: 7 }],
  ])('%s is accepted', (_name, fields) => {
    expect(reasonFor(fields)).toBeUndefined();
  });

  it.each([
    [{ messageType: 'DATA' }, 'messageType: "DATA" is not DATA_MESSAGE or CONTROL_MESSAGE'],
    [{ owner: '1234567890123' }, 'owner: "1234567890123" is not an AWS account id (12 digits)'],
    [{ owner: 'x123456789012' }, 'owner: "x123456789012" is not an AWS account id (12 digits)'],
    [{ owner: 123456789012 }, 'owner: 123456789012 is not an AWS account id (12 digits)'],
    [{ logGroup: 'orders app' }, 'logGroup: "orders app" is not a log group name'],
    [{ logGroup: 'g'.repeat(513) }, `logGroup: "${'g'.repeat(76)}... is not a log group name`],
    [{ logGroup: '' }, 'logGroup: "" is not a log group name'],
    [{ logGroup: ['/app'] }, 'logGroup: ["/app"] is not a log group name'],
    [{ logStream: 'a:b' }, 'logStream: "a:b" is not a log stream name'],
    [{ logStream: ':b' }, 'logStream: ":b" is not a log stream name'],
    [{ logStream: 'a*' }, 'logStream: "a*" is not a log stream name'],
    [{ logStream: 's'.repeat(513) }, `logStream: "${'s'.repeat(76)}... is not a log stream name`],
    [{ logStream: 7 }, 'logStream: 7 is not a log stream name'],
    [{ logEvents: { length: 0 } }, 'logEvents: {"length":0} is not a list'],
    [{ backfill: 'true' }, 'backfill: "true" is not true'],
    [{ backfill: false }, 'backfill: false is not true'],
    [{ reingestedBy: 'archive ' }, 'reingestedBy: "archive " is not one of archive, siem'],
  ])('%j is refused: %s', (fields, reason) => {
    expect(reasonFor(fields)).toBe(reason);
  });
});

describe('the record', () => {
  it.each([
    ['an empty record', '', 'data is not base64'],
    ['a length that is no multiple of four', 'H4sIAAAAAAAAA', 'data is not base64'],
    ['characters outside the alphabet', 'H4s!', 'data is not base64'],
    ['base64 of no gzip', Buffer.from('plain').toString('base64'), 'data is not gzip: incorrect header check'],
    ['gzip of no JSON', record('{"messageType"'), 'data is not JSON'],
    ['a JSON number', record('5'), 'data is not a CloudWatch Logs subscription payload (a JSON object)'],
    ['JSON null', record('null'), 'data is not a CloudWatch Logs subscription payload (a JSON object)'],
    ['a JSON list', record(JSON.stringify([ENVELOPE])), 'data is not a CloudWatch Logs subscription payload (a JSON object)'],
  ])('%s is refused: %s', (_name, data, reason) => {
    expect(decodeRecord(data)).toEqual({ ok: false, reason });
  });

  it('data that is not text is not base64, even with a length of four', () => {
    expect(decodeRecord(['H4sI', 'AAAA', 'AAAA', 'AAAA'] as unknown as string)).toEqual({ ok: false, reason: 'data is not base64' });
  });

  it('a record past the decompressed limit is refused by that limit', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20 + 1, 0x20)).toString('base64');
    expect(decodeRecord(bomb)).toEqual({ ok: false, reason: `data decompresses to more than ${64 * 2 ** 20} bytes` });
  });
});

describe('values as a reason shows them', () => {
  it('cuts JSON past 80 characters to 77 and an ellipsis, and leaves 80 whole', () => {
    expect(shown('x'.repeat(78))).toBe(`"${'x'.repeat(78)}"`);
    expect(shown('x'.repeat(79))).toBe(`"${'x'.repeat(76)}...`);
    expect(shown(undefined)).toBe('undefined');
  });

  it('an event nested too deeply to write back fails as unrenderable, with its cause', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let thrown: unknown;
    try {
      writableJson(deep);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnrenderableEventError);
    expect(thrown).toMatchObject({ name: 'UnrenderableEvent', message: expect.stringMatching(/^an event is nested too deeply to be kept whole \(/) });
    expect((thrown as Error).cause).toBeInstanceOf(RangeError);
  });

  it('any other failure to write JSON is not taken for nesting', () => {
    expect(() => writableJson({ n: 1n })).toThrow(TypeError);
  });
});

describe('halving a payload', () => {
  it('keeps the envelope and splits the events, the first half the larger', () => {
    const payload = { ...ENVELOPE, logEvents: [1, 2, 3] } as unknown as DataMessage;
    expect(splitPayload(payload)).toEqual([
      { ...ENVELOPE, logEvents: [1, 2] },
      { ...ENVELOPE, logEvents: [3] },
    ]);
  });
});
