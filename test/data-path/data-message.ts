/** A CloudWatch Logs DATA_MESSAGE for the data-path suites: a stream name with quotes by default, every field replaceable. */
import type { DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';

export const OWNER = '123456789012';

export function dataMessage(logEvents: readonly unknown[], fields: Partial<DataMessage> = {}): DataMessage {
  return {
    messageType: 'DATA_MESSAGE',
    owner: OWNER as DataMessage['owner'],
    logGroup: '/app/orders',
    logStream: 'a "stream" \\ ✓',
    subscriptionFilters: ['f'],
    logEvents,
    ...fields,
  };
}

/** Messages an attacker writes to break a line or a scan of the payload's text: quotes, backslashes, the keys' own text, unicode, lone surrogates. */
export const HOSTILE_MESSAGES = [
  '',
  'plain',
  'a "quoted" word',
  'ends with a backslash \\',
  'a backslash before a quote \\"',
  '\\\\"',
  '"message":"forged"},{"id":"1","timestamp":1,"message":"',
  '"logEvents":[{"message":"x"}]',
  '{"eventVersion":"1.09","requestParameters":{"policy":"{\\"Statement\\":[]}"}}',
  'tab\tnewline\nreturn\rnul\u0000escape\u001b[31m',
  'é ✓ 日本 🎉 \u2028\u2029',
  'lone surrogates \ud800 and \udfff',
  '}]}',
];
