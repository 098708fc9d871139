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
  const problems = eventProblems(event);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`tributary transform: ${problem}`);
    return 2;
  }
  // Offline there is no stream to re-ingest to: records that do not fit are reported failed.
  const { records, report } = await transformRecords(event.records, {});
  const shown = flags.decode
    ? records.map((r) => ({
        ...r,
        data:
          r.data === undefined
            ? undefined
            : Buffer.from(r.data, 'base64')
                .toString('utf8')
                .trimEnd()
                .split('\n')
                .map((line) => JSON.parse(line)),
      }))
    : records;
  console.log(JSON.stringify({ records: shown }, null, 2));
  for (const { recordId, reason } of report.failed) console.error(`record ${recordId} failed: ${reason}`);
  // Failed records are the processor's answer (Firehose keeps them under errors/), not a usage error.
  return 0;
}

/** What Firehose always sends: a list of records, each with a string recordId and base64 data. */
function eventProblems(event: unknown): string[] {
  const records = (event as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return [`records: ${JSON.stringify(records) ?? 'undefined'} is not the event's list of records`];
  return records.flatMap((record: unknown, i) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      return [`records[${i}]: ${JSON.stringify(record)} is not a record (an object with recordId and data)`];
    const { recordId, data } = record as { recordId?: unknown; data?: unknown };
    return [
      ...(typeof recordId === 'string' && recordId !== '' ? [] : [`records[${i}].recordId: ${JSON.stringify(recordId) ?? 'undefined'} is not a record id`]),
      ...(typeof data === 'string' ? [] : [`records[${i}].data: ${JSON.stringify(data) ?? 'undefined'} is not base64 text`]),
    ];
  });
}
