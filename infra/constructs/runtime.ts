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
