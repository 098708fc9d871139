/**
 * aws-cdk-lib prints a deprecation warning with a stack when cdk-nag reads the event bus policy's
 * deprecated `principal`: not ours to act on, and 30 lines of noise in every run.
 */
process.env.JSII_DEPRECATED = 'quiet';
/**
 * No test reads where a construct was created, and capturing that stack for every CloudFormation
 * resource and annotation was about 2% of a run's CPU in a profile of the whole suite. Every App reads this
 * context, the member templates' own included.
 */
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:disable-stack-trace': true });
