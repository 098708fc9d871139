/**
 * The import direction of DESIGN.md: bin -> sim/infra -> workflows -> tasks. A module may import
 * its own layer or a lower one, never a higher one, so a task Lambda's bundle never pulls in the
 * CDK app or the simulator, and the offline world cannot leak into what is deployed.
 */
import { readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const LAYER: Readonly<Record<string, number>> = { tasks: 0, workflows: 1, sim: 2, infra: 2, bin: 3 };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function topDirectory(path: string): string {
  return relative(ROOT, path).split(sep)[0];
}

/** Every relative import of a file, type-only ones included: a type is a dependency too. */
function relativeImports(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith('.'));
}

function violations(): string[] {
  return Object.keys(LAYER).flatMap((layer) =>
    sourceFiles(join(ROOT, layer)).flatMap((file) =>
      relativeImports(file)
        .map((name) => ({ name, target: topDirectory(resolve(dirname(file), name)) }))
        .filter(({ target }) => target in LAYER && LAYER[target] > LAYER[layer])
        .map(({ name }) => `${relative(ROOT, file)} imports ${name}`),
    ),
  );
}

describe('module boundaries', () => {
  it('no module imports a layer above its own (bin -> sim/infra -> workflows -> tasks)', () => {
    expect(violations()).toEqual([]);
  });

  it('the check sees a violation: a task importing the config schema from infra would be one', () => {
    const file = join(ROOT, 'tasks', 'example.ts');
    const target = topDirectory(resolve(dirname(file), '../infra/config/schema'));
    expect(LAYER[target]).toBeGreaterThan(LAYER[topDirectory(file)]);
  });
});
