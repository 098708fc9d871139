/** A CDK app for template assertions: the real context, without bundling the Lambda code (templates do not need it). */
import { App } from 'aws-cdk-lib';
import { APP_CONTEXT } from '../../infra/tributary-app';

export function testApp(): App {
  return new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
}
