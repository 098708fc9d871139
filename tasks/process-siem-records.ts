/**
 * Task `ProcessSiemRecords`: the transformation Lambda of the SIEM's Firehose, the second consumer
 * of each region's stream. It takes the SIEM's share (siem-selection.ts) in the configured format
 * and, like the archive's processor, puts back on the stream what does not fit its response,
 * marked as its own so that the archive's processor drops it.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { InvalidInputError } from './lib/errors';
import { parseRegion } from './lib/domain';
import { renderPayload } from './lib/data-path/log-line';
import { ocsfRenderer } from './lib/data-path/ocsf-lines';
import { siemSelection, type SiemShare } from './lib/data-path/siem-selection';
import { processLogRecords, processorDeps, type ProcessorDeps } from './process-log-records';

/** The SIEM's share and format as JSON (`SiemView`), set by the stack from the config's `siem`. */
export const SIEM_VIEW_VARIABLE = 'TRIBUTARY_SIEM_VIEW';

export interface SiemView extends SiemShare {
  readonly format: 'ocsf' | 'raw';
}

/** The processor's consumer options for `view` in `region`. */
export function siemConsumer(view: SiemView, region: string): NonNullable<ProcessorDeps['consumer']> {
  return {
    consumer: 'siem',
    partitioned: false,
    selection: siemSelection(view),
    render: view.format === 'ocsf' ? ocsfRenderer(region) : renderPayload,
  };
}

function parseView(text: string | undefined): SiemView {
  try {
    const view = JSON.parse(text ?? '') as SiemView;
    if ((view.format === 'ocsf' || view.format === 'raw') && Array.isArray(view.categories)) return view;
  } catch (cause) {
    throw new InvalidInputError(SIEM_VIEW_VARIABLE, text, 'is not JSON', { cause });
  }
  throw new InvalidInputError(SIEM_VIEW_VARIABLE, text, 'is not a SIEM view ({"format","categories","filters"})');
}

let deps: ProcessorDeps | undefined;

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  deps ??= processorDeps(
    'tributary-siem-processor',
    siemConsumer(parseView(process.env[SIEM_VIEW_VARIABLE]), parseRegion(process.env.AWS_REGION, 'AWS_REGION')),
  );
  return { records: (await processLogRecords(event, deps)).records };
}
