import { Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/** Every Tributary Lambda's runtime: the one the project builds and tests for. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;

/** cdk-nag flags any runtime but the newest; ours is pinned on purpose. */
export function acknowledgePinnedRuntime(fn: IConstruct): void {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Lambdas are pinned to nodejs22.x, the runtime the project builds and tests for; moving runtime is a deliberate change.',
  });
}

/** Off-heap memory kept free: a record's gunzip output (up to 64 MiB), zlib state, Node and the runtime. */
const OFF_HEAP_MB = 256;

/**
 * NODE_OPTIONS pinning a function's V8 heap to its memory. The semi-space is the largest power of
 * two at most a twentieth of memory: the Lambda Node.js runtime's bootstrap asks for a twentieth
 * when NODE_OPTIONS names none (seen in copies of /var/runtime/bootstrap; not documented), and V8
 * rounds a semi-space up to a power of two (asked 76 MB it takes 128: test/infra/lambda-heap.test.ts
 * reads the limit back). V8 sizes the young generation at three semi-spaces
 * (https://nodejs.org/api/cli.html#--max-semi-space-sizesize), so the old generation gets what is
 * left after those and the off-heap headroom. The record-processor bench runs with exactly this.
 */
export function lambdaHeapOptions(memoryMb: number): string {
  const semiSpace = 2 ** Math.floor(Math.log2(memoryMb / 20));
  const oldSpace = memoryMb - 3 * semiSpace - OFF_HEAP_MB;
  if (oldSpace <= 0) throw new Error(`memoryMb: ${memoryMb} leaves no old generation after the young generation and ${OFF_HEAP_MB} MB off-heap`);
  return `--max-semi-space-size=${semiSpace} --max-old-space-size=${oldSpace}`;
}
