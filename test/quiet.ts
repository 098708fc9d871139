/**
 * aws-cdk-lib prints a deprecation warning with a stack when cdk-nag reads the event bus policy's
 * deprecated `principal`: not ours to act on, and 30 lines of noise in every run.
 */
process.env.JSII_DEPRECATED = 'quiet';
