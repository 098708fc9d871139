/**
 * Live progress for long commands, on a terminal only: one line rewritten in place, with counts,
 * rate and elapsed time, redrawn at least every second even when nothing finishes. Quiet where no
 * person watches (not a TTY, CI set) and under --json, so logs and pipes get the summaries only.
 */
export interface ProgressOptions {
  /** @default process.stderr */
  readonly stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** @default on a TTY, outside CI, and not under --json */
  readonly enabled?: boolean;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Whether a person is watching `stream`: a terminal, and not a CI run. */
export function interactive(stream: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI;
}

export function formatProgress(label: string, done: number, total: number | undefined, elapsedMs: number, unit = ''): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const count = total === undefined ? `${done}` : `${done}/${total}`;
  return `${label}: ${count}${unit ? ` ${unit}` : ''}, ${rate.toFixed(rate < 10 ? 1 : 0)}/s, ${Math.round(seconds)} s`;
}

export class LiveProgress {
  private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  private readonly now: () => number;
  private readonly started: number;
  private current?: { label: string; done: number; total?: number; unit: string };
  private timer?: NodeJS.Timeout;
  public readonly enabled: boolean;

  public constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.enabled = options.enabled ?? interactive(this.stream);
    this.started = this.now();
  }

  /** Sets what the line shows and redraws it. */
  public update(label: string, done: number, total?: number, unit = ''): void {
    if (!this.enabled) return;
    this.current = { label, done, unit, ...(total === undefined ? {} : { total }) };
    this.draw();
    // Redrawn every second, so elapsed time and rate move while a long step runs.
    this.timer ??= setInterval(() => this.draw(), 1000).unref();
  }

  /** Ends the live line, leaving the terminal where it was. */
  public end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled && this.current) this.stream.write('\r\x1b[K');
    this.current = undefined;
  }

  private draw(): void {
    if (!this.current) return;
    const { label, done, total, unit } = this.current;
    this.stream.write(`\r\x1b[K${formatProgress(label, done, total, this.now() - this.started, unit)}`);
  }
}
