/**
 * Firehose delivering to an HTTP endpoint, as AWS documents it, over real HTTP: the request and
 * response format of https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html
 * and the failure handling of https://docs.aws.amazon.com/firehose/latest/dev/retry.html.
 *
 * - One POST per buffered batch: `X-Amz-Firehose-Protocol-Version: 1.0`, a request id kept the same
 *   across every attempt of the batch, `X-Amz-Firehose-Source-Arn`, the access key verbatim in
 *   `X-Amz-Firehose-Access-Key`, `Content-Type: application/json`, gzip with `Content-Encoding`
 *   when configured; the body `{"requestId","timestamp","records":[{"data":<base64>}]}`.
 * - Success is status 200 with a JSON body whose `requestId` is the request's; anything else,
 *   including no answer within the acknowledgement timeout (3 minutes), fails the attempt.
 * - Firehose retries until the retry duration, counted from the first failure, has passed (an
 *   attempt started before it ends is still waited for), then writes the batch to the S3 backup
 *   under the error prefix, one JSON object per record with the reason.
 * - Delivery is at least once: an endpoint that stored a batch and then failed to answer in time
 *   sees it again with the same request id, which is what the header is for.
 *
 * AWS does not document the wait between attempts; it is modelled as 10 s, doubling to at most 60 s
 * (unverified), on the injected clock so tests take no wall time for it. Only port 443 over https is
 * accepted in AWS: offline the endpoint is a loopback http server.
 */
import { randomUUID } from 'crypto';
import { request } from 'http';
import { gzipSync } from 'zlib';
import type { Clock } from '../tasks/lib/clock';

export interface HttpEndpointDestination {
  readonly url: string;
  readonly accessKey: string;
  /** The Firehose stream's ARN, sent in `X-Amz-Firehose-Source-Arn`. */
  readonly sourceArn: string;
  /** 0-7200 s (HttpEndpointRetryOptions). */
  readonly retrySeconds: number;
  readonly gzip: boolean;
  /** @default 180,000 ms, Firehose's documented acknowledgement timeout */
  readonly acknowledgementTimeoutMs?: number;
}

/** Where a batch that failed after every retry goes: the backup bucket under the error prefix. */
export type BackupWriter = (key: string, body: Buffer) => Promise<void>;

export interface BatchOutcome {
  readonly requestId: string;
  readonly delivered: boolean;
  readonly attempts: number;
  /** The last attempt's reason, when not delivered. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The backup object's key, when not delivered. */
  readonly backupKey?: string;
}

interface Attempt {
  readonly ok: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

const FIRST_WAIT_MS = 10_000;
const MAX_WAIT_MS = 60_000;
const ACKNOWLEDGEMENT_TIMEOUT_MS = 180_000;
/** The error prefix the SIEM stream is configured with (siem-delivery-stream.ts), for `http-endpoint-failed`. */
export const HTTP_ENDPOINT_FAILED = 'http-endpoint-failed';

function post(destination: HttpEndpointDestination, requestId: string, body: Buffer): Promise<Attempt> {
  return new Promise((resolve) => {
    const url = new URL(destination.url);
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': body.length,
          'X-Amz-Firehose-Protocol-Version': '1.0',
          'X-Amz-Firehose-Request-Id': requestId,
          'X-Amz-Firehose-Source-Arn': destination.sourceArn,
          'X-Amz-Firehose-Access-Key': destination.accessKey,
          ...(destination.gzip ? { 'Content-Encoding': 'gzip' } : {}),
        },
        timeout: destination.acknowledgementTimeoutMs ?? ACKNOWLEDGEMENT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let answer: { requestId?: unknown; errorMessage?: unknown } | undefined;
          try {
            answer = JSON.parse(text) as typeof answer;
          } catch {
            answer = undefined;
          }
          const message = typeof answer?.errorMessage === 'string' ? answer.errorMessage : text.slice(0, 200);
          if (res.statusCode !== 200) resolve({ ok: false, errorCode: `HttpEndpoint.ResponseStatusCode.${res.statusCode}`, errorMessage: message });
          else if (answer?.requestId !== requestId)
            resolve({ ok: false, errorCode: 'HttpEndpoint.InvalidResponseFromDestination', errorMessage: `the response's requestId is not ${requestId}` });
          else resolve({ ok: true });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no response within the acknowledgement timeout')));
    req.on('error', (error) =>
      resolve({
        ok: false,
        errorCode: error.message.startsWith('no response') ? 'HttpEndpoint.RequestTimeout' : 'HttpEndpoint.ConnectionFailed',
        errorMessage: error.message,
      }),
    );
    req.end(body);
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The backup key of a batch that failed at `at` (ms): `siem-failed/http-endpoint-failed/yyyy/MM/dd/HH/<name>` (SIEM_FAILED_PREFIX). */
export function failedBatchKey(at: number, requestId: string): string {
  const d = new Date(at);
  return `siem-failed/${HTTP_ENDPOINT_FAILED}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${requestId}.gz`;
}

/**
 * Delivers one buffered batch (each element one processed record's data, base64 as the processor
 * returned it): every attempt, then, if none succeeded within the retry duration, its records to
 * the backup with the last reason.
 */
export async function deliverBatch(
  records: readonly string[],
  destination: HttpEndpointDestination,
  clock: Clock,
  backup: BackupWriter,
): Promise<BatchOutcome> {
  const requestId = randomUUID();
  const arrival = clock.now();
  const json = Buffer.from(JSON.stringify({ requestId, timestamp: arrival, records: records.map((data) => ({ data })) }), 'utf8');
  const body = destination.gzip ? gzipSync(json) : json;
  let attempts = 0;
  let firstFailure: number | undefined;
  let wait = FIRST_WAIT_MS;
  for (;;) {
    attempts++;
    const attempt = await post(destination, requestId, body);
    if (attempt.ok) return { requestId, delivered: true, attempts };
    firstFailure ??= clock.now();
    if (clock.now() - firstFailure + wait > destination.retrySeconds * 1000) {
      const ended = clock.now();
      const lines = records.map((rawData) =>
        JSON.stringify({
          attemptsMade: attempts,
          arrivalTimestamp: arrival,
          errorCode: attempt.errorCode,
          errorMessage: attempt.errorMessage,
          attemptEndingTimestamp: ended,
          rawData,
          EndpointUrl: destination.url,
        }),
      );
      const backupKey = failedBatchKey(ended, requestId);
      await backup(backupKey, gzipSync(lines.join('\n') + '\n'));
      return { requestId, delivered: false, attempts, errorCode: attempt.errorCode!, errorMessage: attempt.errorMessage!, backupKey };
    }
    await clock.sleep(wait);
    wait = Math.min(MAX_WAIT_MS, wait * 2);
  }
}
