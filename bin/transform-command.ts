/** `tributary transform <firehose-event.json>`: runs the record processor offline and prints its response. */
import { readFileSync } from 'fs';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { transformRecords } from '../tasks/lib/data-path/transform';

export async function transformCommand(path: string, flags: { decode: boolean }): Promise<number> {
  let event: FirehoseTransformationEvent;
  try {
    event = JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8')) as FirehoseTransformationEvent;
  } catch (cause) {
    console.error(`tributary transform: cannot read a Firehose event from ${path}: ${(cause as Error).message}`);
    return 2;
  }
  if (!Array.isArray(event.records)) {
    console.error(`tributary transform: records: ${JSON.stringify((event as { records?: unknown }).records)} must be the event's list of records`);
    return 2;
  }
  // Offline there is no stream to re-ingest to: records that do not fit are reported failed.
  const { records, report } = await transformRecords(event.records, {});
  const shown = flags.decode
    ? records.map((r) => ({ ...r, data: r.data === undefined ? undefined : Buffer.from(r.data, 'base64').toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line)) }))
    : records;
  console.log(JSON.stringify({ records: shown }, null, 2));
  for (const { recordId, reason } of report.failed) console.error(`record ${recordId} failed: ${reason}`);
  return 0;
}
