/**
 * TaskFunction on its own Stack, bundled for real (esbuild, as `cdk synth` does): the config
 * travels in the code, so a config past Lambda's 4 KB environment limit still deploys and the
 * function still reads it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'fs';
import { join } from 'path';
import { runInNewContext } from 'vm';
import { build } from 'esbuild';
import { EXAMPLE_CONFIG_PATH, loadConfig, parseConfig } from '../../tasks/lib/config';
import { TaskFunction, taskEnvironment } from '../../infra/constructs/task-function';
import { APP_CONTEXT } from '../../infra/tributary-app';
import { bundledDeploymentDefine, type BundledDeployment } from '../../tasks/lib/bundled-config';
import { memberForwarding, tributaryCallers } from '../../workflows/forwarding';

const example = loadConfig(EXAMPLE_CONFIG_PATH);
const large = parseConfig({
  ...example,
  logGroupExclusions: Array.from({ length: 150 }, (_, i) => `/aws/lambda/team-${String(i).padStart(3, '0')}-sandbox-functions-*`),
});

describe('TaskFunction', () => {
  it('bundles the config into the code and keeps the environment to its fixed variables', () => {
    // Prepare
    // Bundled, unlike testApp()'s; CloudFormation's default rules are deployability.test.ts's.
    const app = new App({ builtinCloudFormationValidation: false, context: { ...APP_CONTEXT } });
    const stack = new Stack(app, 'Test', { env: { account: large.accounts.orchestration, region: large.homeRegion } });

    // Act
    new TaskFunction(stack, 'CheckRegion', {
      task: 'CheckRegion',
      config: large,
      lockTableArn: 'arn:aws:dynamodb:us-east-1:333333333333:table/tributary-locks',
    });
    const assembly = app.synth();

    // Assess
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Environment: { Variables: Record<string, string> }; Code: { S3Key: string } };
    }>;
    expect(fn!.Properties.Environment.Variables).toEqual(taskEnvironment('CheckRegion'));
    const code = readFileSync(join(assembly.directory, `asset.${fn!.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.js'), 'utf8');
    expect(code).toContain(large.logGroupExclusions[149]);
  });

  it('reads back, in the bundle, exactly the config and forwarding rule it was built with', async () => {
    // Prepare
    const json = JSON.stringify(large);
    const forwarding = memberForwarding(tributaryCallers(large));

    // Act
    const bundle = await build({
      stdin: { contents: "module.exports = require('./bundled-config').bundledDeployment();", resolveDir: join(__dirname, '../../tasks/lib'), loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      define: bundledDeploymentDefine({ configJson: json, forwarding }),
    });
    const sandbox = { module: { exports: undefined as unknown } };
    runInNewContext(bundle.outputFiles[0]!.text, sandbox);

    // Assess
    const deployment = sandbox.module.exports as BundledDeployment;
    expect(parseConfig(JSON.parse(deployment.configJson))).toEqual(large);
    expect(deployment.forwarding).toEqual(forwarding);
  });
});
