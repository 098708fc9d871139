/**
 * A CDK app for template assertions: the real context, without bundling the Lambda code (templates
 * do not need it) and, unless asked, without CloudFormation's default rules: their WASM validator
 * costs about 3.5 s in each test file that synthesizes. deployability.test.ts runs them on every
 * template and StackSet body.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { TributaryConfig } from '../../tasks/lib/config';
import { addTributaryStacks, APP_CONTEXT } from '../../infra/tributary-app';

export function testApp(options: TestAppOptions = {}): App {
  return new App({ builtinCloudFormationValidation: options.rules ?? false, context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
}

export interface TestAppOptions {
  /** Run CloudFormation's default rules, binding as in a deploy's synth. @default false */
  readonly rules?: boolean;
}

/** Every template, with the member baseline's own (the StackSet carries it as a template body). */
export function synthesizedTemplates(config: TributaryConfig): Array<{ name: string; region: string; template: Record<string, any> }> {
  const app = testApp();
  const stacks = addTributaryStacks(app, config, { checks: false });
  const all = [stacks.archive, ...stacks.pipelines, stacks.orchestration, stacks.organizationEvents, stacks.memberBaseline].map((stack) => ({
    name: stack.stackName,
    region: stack.region,
    template: Template.fromStack(stack).toJSON(),
  }));
  for (const { template, region } of [...all]) {
    for (const [id, resource] of Object.entries<Record<string, any>>(template.Resources)) {
      const body = resource.Properties?.TemplateBody;
      if (resource.Type === 'AWS::CloudFormation::StackSet' && typeof body === 'string')
        all.push({ name: `StackSet ${id}`, region, template: JSON.parse(body) });
    }
  }
  return all;
}
