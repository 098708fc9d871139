/**
 * The JSONPath subset of Amazon States Language that our definitions use: reference paths
 * (`$`, `$.a.b`, `$.list[0]`, `$['key']`) on the state input or, with `$$`, the context object;
 * payload templates (`"name.$": "$.path"`, and `States.Array` of paths); and ResultPath writes.
 * Anything else (wildcards, filters, other intrinsic functions) is refused rather than guessed, so
 * a definition using it fails offline instead of behaving differently from AWS.
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 */

/** An error Step Functions reports by name (`States.Runtime`, a task's own error...). */
export class StatesError extends Error {
  public constructor(
    public readonly error: string,
    public readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
    this.name = error;
  }
}

type Segment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*/;

function parse(path: string): { root: '$' | '$$'; segments: Segment[] } {
  const root = path.startsWith('$$') ? '$$' : path.startsWith('$') ? '$' : undefined;
  if (!root) throw new StatesError('States.Runtime', `"${path}" is not a JSONPath (it must start with $)`);
  const segments: Segment[] = [];
  let rest = path.slice(root.length);
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const name = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (!name) throw unsupported(path);
      segments.push(name);
      rest = rest.slice(1 + name.length);
    } else {
      const bracket = /^\[(\d+)\]|^\['([^']*)'\]/.exec(rest);
      if (!bracket) throw unsupported(path);
      segments.push(bracket[1] !== undefined ? Number(bracket[1]) : bracket[2]!);
      rest = rest.slice(bracket[0].length);
    }
  }
  return { root, segments };
}

function unsupported(path: string): StatesError {
  return new StatesError('States.Runtime', `JSONPath "${path}" uses syntax the offline runner does not model (only $.a.b, [n] and ['key'])`);
}

/** The value at `path`, or `undefined` when any segment is missing. */
export function tryRead(path: string, input: unknown, context: unknown): unknown {
  const { root, segments } = parse(path);
  let value: unknown = root === '$$' ? context : input;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
    if (value === undefined) return undefined;
  }
  return value;
}

/** The value at `path`; a missing one is `States.Runtime`, as in AWS. */
export function read(path: string, input: unknown, context: unknown, field: string): unknown {
  const value = tryRead(path, input, context);
  if (value === undefined)
    throw new StatesError(
      'States.Runtime',
      `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
    );
  return value;
}

/**
 * The intrinsic functions our definitions use: `States.Array` of JSONPath arguments, "a JSON array
 * containing the values of the arguments in the order provided"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays).
 * Any other, or other kinds of argument, is refused rather than guessed.
 */
function intrinsic(call: string, input: unknown, context: unknown, field: string): unknown {
  const array = /^States\.Array\((.*)\)$/.exec(call);
  if (!array) throw new StatesError('States.Runtime', `intrinsic function ${call} is not modelled offline`);
  const args = array[1]!.trim() === '' ? [] : array[1]!.split(',').map((a) => a.trim());
  for (const arg of args)
    if (!arg.startsWith('$')) throw new StatesError('States.Runtime', `argument ${arg} of ${call} is not modelled offline (only JSONPaths)`);
  return args.map((path) => read(path, input, context, field));
}

/** A payload template (Parameters, ItemSelector, ResultSelector) resolved against `input`. */
export function applyTemplate(template: unknown, input: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') throw new StatesError('States.Runtime', `field '${key}' must be a JSONPath string`);
      out[key.slice(0, -2)] = /^States\./.test(value) ? intrinsic(value, input, context, key) : read(value, input, context, key);
    } else {
      out[key] = applyTemplate(value, input, context);
    }
  }
  return out;
}

/** The state input with `result` placed at `resultPath` (AWS: ResultPath). */
export function writeResult(resultPath: string | null | undefined, input: unknown, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const { root, segments } = parse(resultPath);
  if (root !== '$' || segments.some((s) => typeof s !== 'string'))
    throw new StatesError('States.Runtime', `ResultPath "${resultPath}" must be a path of names below $`);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath "${resultPath}" to input ${JSON.stringify(input)}`);
  }
  // Only the objects on the path are copied: state data is never changed in place, so the rest is shared.
  const copy: Record<string, unknown> = { ...input };
  let node = copy;
  for (const [i, segment] of (segments as string[]).entries()) {
    if (i === segments.length - 1) {
      node[segment] = result;
    } else {
      const next = node[segment];
      if (next !== undefined && (next === null || typeof next !== 'object' || Array.isArray(next))) {
        throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath "${resultPath}": "${segment}" is not an object`);
      }
      node = node[segment] = next === undefined ? {} : { ...next };
    }
  }
  return copy;
}

/** InputPath / OutputPath: `$` (default) keeps everything, null gives `{}`. */
export function selectPath(path: string | null | undefined, input: unknown, context: unknown, field: string): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return input;
  return read(path, input, context, field);
}
