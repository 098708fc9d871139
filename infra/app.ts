/** The CDK app (`npx cdk synth`, `npm run synth`). Config: TRIBUTARY_CONFIG_FILE, else the committed example. */
import { App } from 'aws-cdk-lib';
import { CONFIG_FILE_VARIABLE, EXAMPLE_CONFIG_PATH, loadConfig } from './config/schema';
import { addChecks, addTributaryStacks, APP_CONTEXT } from './tributary-app';

const app = new App({ context: { ...APP_CONTEXT } });
addTributaryStacks(app, loadConfig(process.env[CONFIG_FILE_VARIABLE] ?? EXAMPLE_CONFIG_PATH));
addChecks(app);
app.synth();
