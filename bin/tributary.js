#!/usr/bin/env node
// `npx tributary` entry point: runs the TypeScript CLI through tsx, so no build step is needed.
require('tsx/cjs');
require('./tributary.ts');
