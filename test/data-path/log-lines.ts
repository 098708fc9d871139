/** Reads delivered records back, line by line, and checks every line against the documented format. */
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { FirehoseTransformationResultRecord } from 'aws-lambda';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'log-line.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

/** Every line of a delivered record, each parsed on its own (a line that is not one JSON object throws). */
export function linesOf(record: FirehoseTransformationResultRecord): Array<Record<string, unknown>> {
  const text = Buffer.from(record.data ?? '', 'base64').toString('utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error(`record ${record.recordId}: output does not end with a newline`);
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not a JSON object: ${line.slice(0, 80)}`);
      return value as Record<string, unknown>;
    });
}

/** Every line of every Ok record is one JSON object valid against docs/log-line.schema.json. */
export function expectValidLines(records: readonly FirehoseTransformationResultRecord[]): void {
  for (const record of records.filter((r) => r.result === 'Ok')) {
    for (const line of linesOf(record)) {
      if (!validate(line)) throw new Error(`record ${record.recordId}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(line).slice(0, 200)}`);
    }
  }
}
