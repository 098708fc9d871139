/**
 * Before any test file: gives the run a temp directory of its own, and looks once for an
 * independent Step Functions engine and, when moto is the one, starts a single launcher for every
 * file (each file started its own: a Python start and a cold interpreter per file, and a probe of
 * Python's moto in each).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SHARED_ENGINE_UNAVAILABLE, SHARED_MOTO_ENDPOINT, engineUnavailable, startEngine, type Engine } from './sfn-local/engine';

declare global {
  var tributarySharedEngine: Engine | undefined;
  var tributaryTestTemp: string | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Workers and the processes they start inherit TMPDIR: the CDK's assemblies, configs and mock
  // files the tests write all land here, and test/global-teardown.ts removes it whole.
  globalThis.tributaryTestTemp = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  process.env.TMPDIR = globalThis.tributaryTestTemp;
  if (process.env.SFN_LOCAL_ENDPOINT) return;
  const unavailable = engineUnavailable();
  if (unavailable) {
    process.env[SHARED_ENGINE_UNAVAILABLE] = unavailable;
    return;
  }
  globalThis.tributarySharedEngine = await startEngine();
  process.env[SHARED_MOTO_ENDPOINT] = globalThis.tributarySharedEngine.endpoint;
}
