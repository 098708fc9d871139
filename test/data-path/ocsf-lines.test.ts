/**
 * The SIEM's OCSF renderer on its own: one OCSF event per log event, one line each, the
 * payload's account and category for the key, and a malformed event kept whole as a Base Event
 * with its reason, named in `invalid` too. Field-by-field mapping is test/ocsf/ocsf-units.test.ts.
 */
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { ocsfRenderer } from '../../tasks/lib/data-path/ocsf-lines';
import { toOcsf } from '../../tasks/lib/data-path/ocsf';
import { dataMessage, OWNER } from './data-message';

const ID = '37716512352535342233417452384736271264838849267492810000';

const payload = (logGroup: string, logEvents: readonly unknown[]): DataMessage => dataMessage(logEvents, { logGroup, logStream: 'a "stream" ✓' });

const linesOf = (data: string): string[] => Buffer.from(data, 'base64').toString('utf8').split('\n');

describe('the OCSF renderer', () => {
  it('writes each event as its OCSF line, newline-terminated, keyed by the owner and the category of its group', () => {
    // Prepare
    const events = [
      { id: ID, timestamp: 1, message: 'café ✓' },
      { id: ID.replace(/0$/, '1'), timestamp: 2, message: '2 1 eni-1 10.0.1.5 10.0.2.9 1 2 6 1 1 1 2 ACCEPT OK' },
    ];

    // Act
    const rendered = ocsfRenderer('ap-southeast-2')(payload('/vpc/flow-logs', events), {});

    // Assess
    const base = { account: OWNER, region: 'ap-southeast-2', logGroup: '/vpc/flow-logs', logStream: 'a "stream" ✓' };
    expect(linesOf(rendered.data)).toEqual([...events.map((e) => JSON.stringify(toOcsf({ ...base, ...e }))), '']);
    expect(rendered).toMatchObject({ account: OWNER, category: 'network', invalid: [] });
  });

  it('keeps a malformed event whole as a Base Event with its reason, and names the reason', () => {
    // Prepare
    const bad = { id: 'x', timestamp: -1, message: 7 };

    // Act
    const rendered = ocsfRenderer('eu-west-1')(payload('/app', [bad]), {});

    // Assess
    const [line, end] = linesOf(rendered.data);
    expect(end).toBe('');
    const reason = 'id: "x" is not a CloudWatch Logs event id';
    expect(rendered.invalid).toEqual([reason]);
    expect(JSON.parse(line!)).toEqual({
      ...toOcsf({ account: OWNER, region: 'eu-west-1', logGroup: '/app', logStream: 'a "stream" ✓', id: '', timestamp: 0, message: JSON.stringify(bad) }),
      unmapped: { invalid: reason },
    });
  });

  it('the heartbeat category is the logging account canary group only', () => {
    const events = [{ id: ID, timestamp: 1, message: 'beat' }];
    expect(ocsfRenderer('eu-west-1')(payload('/tributary/heartbeat', events), { loggingAccount: OWNER }).category).toBe('heartbeat');
    expect(ocsfRenderer('eu-west-1')(payload('/tributary/heartbeat', events), { loggingAccount: '222222222222' }).category).toBe('application');
  });
});
