/**
 * Makes `os.tmpdir()` answer a fresh, empty folder until `restore`, so a test can see what the
 * code under test leaves there. The spy goes on Node's own module: setting TMPDIR in a test does
 * not reach it (jest gives each file its own copy of process.env), nor does spying on an import's
 * interop copy.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export function ownTmpdir(): { readonly path: string; restore(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tributary-own-tmpdir-'));
  const spy = jest.spyOn(jest.requireActual<typeof import('os')>('os'), 'tmpdir').mockReturnValue(path);
  return { path, restore: () => spy.mockRestore() };
}
