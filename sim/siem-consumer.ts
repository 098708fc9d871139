/**
 * The SIEM's consumer of one region's stream, offline: what the stream hands its Firehose goes
 * through the SIEM processor (transformRecords with the SIEM's share and format, as the deployed
 * Lambda runs it), is buffered as Firehose buffers (1 MB or a flush), and is delivered to an HTTP
 * endpoint as sim/firehose-http-endpoint.ts models AWS doing it. What the processor puts back on
 * the stream comes round to this consumer again, as it would on the real stream.
 */
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import type { Clock } from '../tasks/lib/clock';
import { transformRecords } from '../tasks/lib/data-path/transform';
import { siemConsumer, type SiemView } from '../tasks/process-siem-records';
import { deliverBatch, type BackupWriter, type BatchOutcome, type HttpEndpointDestination } from './firehose-http-endpoint';

export interface StreamRecord {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Firehose's SIEM buffer (siem-delivery-stream.ts): 1 MB. */
const BUFFER_BYTES = 1_000_000;

export class SimulatedSiemConsumer {
  /** Every delivery attempted, in order. */
  public readonly outcomes: BatchOutcome[] = [];
  private pending: string[] = [];
  private pendingBytes = 0;
  private sequence = 0;

  public constructor(
    private readonly options: {
      readonly view: SiemView;
      readonly region: string;
      readonly destination: HttpEndpointDestination;
      readonly clock: Clock;
      readonly backup: BackupWriter;
    },
  ) {}

  /** Records arriving on the stream, as Firehose reads them. */
  public async put(records: readonly StreamRecord[]): Promise<void> {
    const input: FirehoseTransformationEventRecord[] = records.map((r) => {
      const id = String(++this.sequence);
      return {
        recordId: `siem-${id}`,
        approximateArrivalTimestamp: this.options.clock.now(),
        data: Buffer.from(r.data).toString('base64'),
        kinesisRecordMetadata: {
          shardId: 'shardId-000000000000',
          partitionKey: r.partitionKey,
          approximateArrivalTimestamp: this.options.clock.now(),
          sequenceNumber: id,
          subsequenceNumber: '0',
        },
      };
    });
    const reingested: StreamRecord[] = [];
    const { records: processed } = await transformRecords(input, {
      ...siemConsumer(this.options.view, this.options.region),
      putRecords: async (entries) => (reingested.push(...entries), entries.map(() => undefined)),
    });
    for (const record of processed) {
      if (record.result !== 'Ok' || !record.data) continue;
      this.pending.push(record.data);
      this.pendingBytes += record.data.length;
      if (this.pendingBytes >= BUFFER_BYTES) await this.flush();
    }
    if (reingested.length > 0) await this.put(reingested);
  }

  /** Delivers what is buffered (Firehose does at the buffer interval). */
  public async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.outcomes.push(await deliverBatch(batch, this.options.destination, this.options.clock, this.options.backup));
  }
}
