/** Stops the engine test/global-setup.ts started. */
export default function globalTeardown(): void {
  globalThis.tributarySharedEngine?.stop();
}
