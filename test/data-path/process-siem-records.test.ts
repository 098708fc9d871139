/** The SIEM processor's handler as Lambda runs it: its view read once from the environment, a bad view refused naming the variable. */
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { firehoseRecord } from '../../sim/log-payloads';
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';

const payload: DataMessage = {
  messageType: 'DATA_MESSAGE',
  owner: '123456789012' as DataMessage['owner'],
  logGroup: 'aws-cloudtrail-logs',
  logStream: 's',
  subscriptionFilters: ['tributary-central-logging'],
  logEvents: [{ id: '1', timestamp: Date.UTC(2026, 11, 6), message: '{"eventVersion":"1.10","eventSource":"iam.amazonaws.com","eventName":"DeleteRole"}' }],
};

async function run(view: string | undefined): Promise<unknown> {
  const saved = { ...process.env };
  process.env.AWS_REGION = 'eu-west-1';
  process.env.TRIBUTARY_LOGGING_ACCOUNT = '222222222222';
  delete process.env.TRIBUTARY_ORGANIZATION_ACCOUNTS_TABLE;
  if (view === undefined) delete process.env.TRIBUTARY_SIEM_VIEW;
  else process.env.TRIBUTARY_SIEM_VIEW = view;
  try {
    let handler!: (event: FirehoseTransformationEvent) => Promise<unknown>;
    jest.isolateModules(() => ({ handler } = jest.requireActual('../../tasks/process-siem-records')));
    return await handler({ invocationId: 'i', deliveryStreamArn: 'arn', region: 'eu-west-1', records: [firehoseRecord(payload)] });
  } finally {
    process.env = saved;
  }
}

describe('ProcessSiemRecords handler', () => {
  it('maps CloudTrail to OCSF API Activity with its region, and writes no partition keys', async () => {
    // Act
    const { records } = (await run(JSON.stringify({ format: 'ocsf', categories: ['audit'] }))) as {
      records: Array<{ result: string; data: string; metadata?: unknown }>;
    };

    // Assess
    expect(records[0]!.result).toBe('Ok');
    expect(records[0]!.metadata).toBeUndefined();
    expect(JSON.parse(Buffer.from(records[0]!.data, 'base64').toString('utf8'))).toMatchObject({
      class_uid: 6003,
      cloud: { region: 'eu-west-1', account: { uid: '123456789012' } },
    });
  });

  it.each([
    [undefined, 'TRIBUTARY_SIEM_VIEW: undefined is not JSON'],
    ['{"format":"cef","categories":["audit"]}', 'TRIBUTARY_SIEM_VIEW: "{\\"format\\":\\"cef\\",\\"categories\\":[\\"audit\\"]}" is not a SIEM view'],
    ['{"format":"raw"}', 'is not a SIEM view'],
  ])('refuses the view %s, naming the variable', async (view, message) => {
    await expect(run(view)).rejects.toThrow(message);
  });
});
