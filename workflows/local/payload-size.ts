/**
 * The size of state data as Step Functions' payload quota counts it: the UTF-8 bytes of its JSON
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, 256 KiB). An
 * execution checks each state's input, result and output; a page loop carries the same regions and
 * cursors through every state, and serializing all of it at each check (and copying it for each
 * ResultPath) was about 8% of the simulator's CPU at 20 accounts x 10 regions x 500 groups. So a
 * size is remembered per object: state data is never changed in place
 * (writeResult copies the path it writes), and an output that keeps its input's parts is sized
 * from the parts already measured.
 */

const sizes = new WeakMap<object, number>();

/** What JSON.stringify would make of `value`, in UTF-8 bytes; 0 where it makes nothing. */
export function jsonBytes(value: unknown): number {
  if (value === null || typeof value !== 'object') return serializedBytes(value);
  const known = sizes.get(value);
  if (known !== undefined) return known;
  const bytes = isPlainObject(value) ? objectBytes(value) : serializedBytes(value);
  sizes.set(value, bytes);
  return bytes;
}

/** Remembers the size of `value`, parsed from `text`: its serialization is already at hand. */
export function rememberSize(value: unknown, text: string): void {
  if (value !== null && typeof value === 'object') sizes.set(value, Buffer.byteLength(text, 'utf8'));
}

/** Texts of values already serialized (a Lambda's input while it runs, a member sized), kept so that they are not serialized again. */
const texts = new WeakMap<object, string>();

/** Remembers `text` as the serialization of `value`, parsed from it, while `value` lives. */
export function rememberText(value: unknown, text: string): void {
  if (value !== null && typeof value === 'object') texts.set(value, text);
}

/** JSON.stringify(value), or the text it was parsed from. */
export function jsonText(value: unknown): string {
  return (value !== null && typeof value === 'object' ? texts.get(value) : undefined) ?? (JSON.stringify(value) as string);
}

/** The UTF-8 bytes of a serialization; 0 where JSON.stringify made nothing. */
function textBytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

function serializedBytes(value: unknown): number {
  return textBytes(JSON.stringify(value) as string | undefined);
}

/** A plain object JSON.stringify walks member by member (no toJSON of its own or inherited, no class). */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * A member's size, and its text kept while it lives: a Lambda's payload is a member of its state's
 * input (`Payload`), sized here first and then serialized for its function (runner.ts).
 */
function memberBytes(member: object): number {
  let size = sizes.get(member);
  if (size === undefined) {
    const text = JSON.stringify(member) as string | undefined;
    if (text !== undefined) texts.set(member, text);
    sizes.set(member, (size = textBytes(text)));
  }
  return size;
}

/** A member JSON.stringify leaves out of an object. */
const omitted = (member: unknown): boolean => member === undefined || typeof member === 'function' || typeof member === 'symbol';

/**
 * `{`, each member kept as `"key":value` with commas between, `}`. A member object already sized
 * is not serialized again; one that is not is serialized whole (faster than walking it here) and
 * remembered.
 */
function objectBytes(value: Record<string, unknown>): number {
  let bytes = 2;
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (omitted(member)) continue;
    const size = member !== null && typeof member === 'object' ? memberBytes(member) : serializedBytes(member);
    bytes += Buffer.byteLength(JSON.stringify(key), 'utf8') + 1 + size;
    members++;
  }
  return bytes + Math.max(0, members - 1);
}
