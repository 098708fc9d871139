/**
 * Before any test file: looks once for an independent Step Functions engine and, when moto is the
 * one, starts a single launcher for every file (each file started its own: a Python start and a
 * cold interpreter per file, and a probe of Python's moto in each).
 */
import { SHARED_ENGINE_UNAVAILABLE, SHARED_MOTO_ENDPOINT, engineUnavailable, startEngine, type Engine } from './sfn-local/engine';

declare global {
  var tributarySharedEngine: Engine | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.SFN_LOCAL_ENDPOINT) return;
  const unavailable = engineUnavailable();
  if (unavailable) {
    process.env[SHARED_ENGINE_UNAVAILABLE] = unavailable;
    return;
  }
  globalThis.tributarySharedEngine = await startEngine();
  process.env[SHARED_MOTO_ENDPOINT] = globalThis.tributarySharedEngine.endpoint;
}
