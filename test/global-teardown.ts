/** Stops the engine test/global-setup.ts started and removes the run's temp directory. */
import { rmSync } from 'fs';

export default function globalTeardown(): void {
  globalThis.tributarySharedEngine?.stop();
  if (globalThis.tributaryTestTemp) rmSync(globalThis.tributaryTestTemp, { recursive: true, force: true });
}
