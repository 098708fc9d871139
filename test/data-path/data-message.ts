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
