/** The CDK app (`npx cdk synth`, `npm run synth`). Config: TRIBUTARY_CONFIG_FILE, else the committed example. */
import { App } from 'aws-cdk-lib';
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../tasks/lib/config';
import { addChecks, addTributaryStacks, APP_CONTEXT } from './tributary-app';
import { InvalidConfigError } from '../tasks/lib/errors';

// cdk-nag reads a deprecated property of the event bus policy; the warning is not ours to act on.
process.env.JSII_DEPRECATED ??= 'quiet';

let config: TributaryConfig;
try {
  config = loadConfig(process.env[CONFIG_FILE_VARIABLE] ?? EXAMPLE_CONFIG_PATH);
} catch (error) {
  if (!(error instanceof InvalidConfigError)) throw error;
  // One line per problem and exit 2, like every tributary command (the CDK CLI adds its own last line).
  for (const problem of error.problems) console.error(`tributary: ${problem}`);
  process.exit(2);
}
const app = new App({ context: { ...APP_CONTEXT } });
addTributaryStacks(app, config);
addChecks(app);
app.synth();
