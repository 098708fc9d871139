/**
 * The SIEM's `ocsf` format: one OCSF 1.1.0 event (ocsf.ts) per log event, one JSON object per
 * line. An event that is not what CloudWatch Logs sends becomes a Base Event keeping the event
 * whole in `raw_data` and the reason in `unmapped`, as the archive keeps it as an `invalid` line.
 */
import { writableJson, type DataMessage } from './cloudwatch-logs-record';
import { eventProblem, type LogEvent, type RenderContext, type RenderedPayload } from './log-line';
import { categoryOf, logSourceOf } from './log-source';
import { toOcsf } from './ocsf';

/** A renderer for the stream of `region` (OCSF's `cloud.region`: each region's stream has its own processor). */
export function ocsfRenderer(region: string): (payload: DataMessage, context: RenderContext) => RenderedPayload {
  return (payload, context) => {
    const lines: string[] = [];
    const invalid: string[] = [];
    for (const event of payload.logEvents) {
      const problem = eventProblem(event);
      const base = { account: payload.owner, region, logGroup: payload.logGroup, logStream: payload.logStream };
      if (problem === undefined) {
        const { id, timestamp, message } = event as LogEvent;
        lines.push(JSON.stringify(toOcsf({ ...base, id, timestamp, message })));
        continue;
      }
      invalid.push(problem);
      const raw = writableJson(event);
      lines.push(JSON.stringify({ ...toOcsf({ ...base, id: '', timestamp: 0, message: raw }), unmapped: { invalid: problem } }));
    }
    const source = logSourceOf(payload.logGroup, payload.owner, context.loggingAccount);
    return { data: Buffer.from(lines.join('\n') + '\n').toString('base64'), account: payload.owner, category: categoryOf(source), invalid };
  };
}
