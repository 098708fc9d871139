/**
 * Which simulated Lambda invocation a call comes from. When a function runs past its timeout,
 * Lambda stops the execution environment (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html):
 * requests already sent are still processed by the service, but none is sent afterwards. The
 * runner marks a timed-out invocation terminated; the simulator refuses to send its later calls,
 * where plain JavaScript would let the abandoned promise chain run on and write late.
 */
import { AsyncLocalStorage } from 'async_hooks';

export interface LambdaInvocation {
  terminated: boolean;
  /** The task the function runs: its role's policy decides the function's own calls. */
  readonly task?: string;
}

export const lambdaInvocation = new AsyncLocalStorage<LambdaInvocation>();

export class InvocationTerminatedError extends Error {
  public override readonly name = 'InvocationTerminated';
}
