/**
 * A SIEM collector offline: an HTTP endpoint written to AWS's Firehose HTTP endpoint specification
 * (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html), as a SIEM's
 * collector would be: it checks the protocol version and the access key, reads gzip or plain JSON,
 * answers `{"requestId","timestamp"}` with 200 once the records are stored, and `errorMessage` with
 * an error status otherwise. It stores a request id once (the header exists for deduplication), and
 * can be told to fail, or to store a batch and drop the connection before answering, as a
 * collector that crashes may.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { gunzipSync } from 'zlib';

export interface ReceivedRequest {
  readonly requestId: string;
  readonly sourceArn: string;
  readonly gzip: boolean;
  /** Each record's data, decoded from base64. */
  readonly records: readonly Buffer[];
}

export class FirehoseEndpointServer {
  /** Every request that reached the handler, stored or not, in order. */
  public readonly requests: string[] = [];
  /** Stored batches, one per request id. */
  public readonly stored = new Map<string, ReceivedRequest>();
  private failures: Array<{ status: number; message: string }> = [];
  private crashesAfterStoring = 0;
  private readonly server: Server;

  public constructor(private readonly accessKey: string) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ingest?tenant=soc`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` requests fail with `status` before anything is stored. */
  public failNext(count: number, status: number, message: string): void {
    this.failures.push(...Array.from({ length: count }, () => ({ status, message })));
  }

  /** The next `count` requests are stored, then their connection is dropped unanswered. */
  public crashAfterStoring(count: number): void {
    this.crashesAfterStoring += count;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const requestId = String(req.headers['x-amz-firehose-request-id'] ?? '');
    this.requests.push(requestId);
    const answer = (status: number, errorMessage?: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ requestId, timestamp: Date.now(), ...(errorMessage ? { errorMessage } : {}) }));
    };
    if (req.method !== 'POST' || req.headers['x-amz-firehose-protocol-version'] !== '1.0') return answer(400, 'not a Firehose request');
    if (req.headers['x-amz-firehose-access-key'] !== this.accessKey) return answer(401, 'the access key is not valid for this collector');
    const failure = this.failures.shift();
    if (failure) return answer(failure.status, failure.message);
    const gzip = req.headers['content-encoding'] === 'gzip';
    const body = JSON.parse((gzip ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks)).toString('utf8')) as {
      requestId: string;
      records: Array<{ data: string }>;
    };
    if (body.requestId !== requestId) return answer(400, 'the body names another request');
    if (!this.stored.has(requestId)) {
      this.stored.set(requestId, {
        requestId,
        sourceArn: String(req.headers['x-amz-firehose-source-arn']),
        gzip,
        records: body.records.map((r) => Buffer.from(r.data, 'base64')),
      });
    }
    if (this.crashesAfterStoring > 0) {
      this.crashesAfterStoring--;
      req.socket.destroy();
      return;
    }
    return answer(200);
  }
}
