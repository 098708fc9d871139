/**
 * Reading a Step Functions cause that carries a Lambda error: the runtime reports
 * `{"errorType","errorMessage","trace"}`, and a failed `startExecution.sync` child reports
 * `{"Error","Cause",...}`. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */

/** The message inside a Lambda-shaped cause, or the cause as it is. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  const parsed = parseCause(cause);
  return typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : cause;
}

/** A cause's JSON object, if it is one. */
export function parseCause(cause: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(cause);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
