/**
 * The official OCSF 1.1.0 schema sources (../shared/fixtures/ocsf-schema-1.1.0, read in place,
 * never copied), resolved as the OCSF server resolves them: a class or object `extends` its parent,
 * `$include` merges includes and profiles (a profile's attributes count only when the event names
 * the profile in metadata.profiles), the dictionary gives each attribute its type, array-ness and
 * enum. `validateOcsf` lists every problem of one event: a required attribute missing, an
 * attribute its class or object does not know, a value of the wrong type, an enum value that is not
 * one, a broken constraint, a class, category or type uid that does not add up.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const OCSF_SCHEMA_DIR = process.env.TRIBUTARY_OCSF_SCHEMA ?? join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'ocsf-schema-1.1.0');
export const ocsfSchemaPresent = existsSync(OCSF_SCHEMA_DIR);

interface AttributeSpec {
  readonly requirement?: string;
  readonly enum?: Readonly<Record<string, unknown>>;
  readonly profile?: string | null;
}
type Attributes = Record<string, AttributeSpec>;
interface Definition {
  readonly name: string;
  readonly uid?: number;
  readonly extends?: string;
  readonly category?: string;
  readonly attributes: Attributes;
  readonly constraints?: { readonly at_least_one?: readonly string[]; readonly just_one?: readonly string[] };
}
interface DictionaryAttribute {
  readonly type: string;
  readonly is_array?: boolean;
  readonly enum?: Readonly<Record<string, unknown>>;
}

const read = (relative: string) => JSON.parse(readFileSync(join(OCSF_SCHEMA_DIR, relative), 'utf8'));

function mergeAttributes(base: Attributes, over: Attributes): Attributes {
  const merged: Attributes = { ...base };
  for (const [name, spec] of Object.entries(over)) {
    const before = merged[name] ?? {};
    merged[name] = { ...before, ...spec, ...(before.enum || spec.enum ? { enum: { ...before.enum, ...spec.enum } } : {}) };
  }
  return merged;
}

/** An attributes block with its `$include`s merged in; a profile's attributes carry its name. */
function withIncludes(raw: Record<string, unknown>): Attributes {
  const { $include, ...own } = raw as { $include?: string | string[] } & Attributes;
  let attributes: Attributes = {};
  for (const file of [$include ?? []].flat()) {
    const included = read(file) as { name?: string; attributes: Record<string, unknown> };
    let block = withIncludes(included.attributes);
    if (file.startsWith('profiles/')) block = Object.fromEntries(Object.entries(block).map(([k, v]) => [k, { ...v, profile: v.profile ?? included.name! }]));
    attributes = mergeAttributes(attributes, block);
  }
  return mergeAttributes(attributes, own);
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(OCSF_SCHEMA_DIR, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
  );
}

export class OcsfSchema {
  private readonly classes = new Map<string, Definition>();
  private readonly objects = new Map<string, Definition>();
  private readonly dictionary: Record<string, DictionaryAttribute>;
  private readonly baseTypes: Record<string, { type?: string }>;
  private readonly categories: Record<string, { uid: number }>;
  private readonly resolved = new Map<string, Definition>();

  public constructor() {
    for (const file of filesUnder('events')) {
      const d = read(file);
      this.classes.set(d.name, { ...d, attributes: withIncludes(d.attributes ?? {}) });
    }
    for (const file of filesUnder('objects')) {
      const d = read(file);
      this.objects.set(d.name, { ...d, attributes: withIncludes(d.attributes ?? {}) });
    }
    const dictionary = read('dictionary.json');
    this.dictionary = dictionary.attributes;
    this.baseTypes = dictionary.types.attributes;
    this.categories = read('categories.json').attributes;
  }

  private resolve(kind: 'class' | 'object', name: string): Definition {
    const key = `${kind}:${name}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const own = (kind === 'class' ? this.classes : this.objects).get(name);
    if (!own) throw new Error(`OCSF: no ${kind} named ${name}`);
    const parent = own.extends ? this.resolve(kind, own.extends) : undefined;
    const definition: Definition = {
      ...own,
      category: own.category ?? parent?.category,
      attributes: parent ? mergeAttributes(parent.attributes, own.attributes) : own.attributes,
      constraints: own.constraints ?? parent?.constraints,
    };
    this.resolved.set(key, definition);
    return definition;
  }

  /** The class an event's class_uid names: category uid x 1000 + class uid. */
  public classOf(classUid: number): Definition | undefined {
    for (const name of this.classes.keys()) {
      const c = this.resolve('class', name);
      if (this.classUid(c) === classUid) return c;
    }
    return undefined;
  }

  private categoryUid(c: Definition): number {
    return c.category && this.categories[c.category] ? this.categories[c.category]!.uid : 0;
  }

  private classUid(c: Definition): number {
    return this.categoryUid(c) * 1000 + (c.uid ?? 0);
  }

  private baseType(type: string): string {
    let t = type;
    while (this.baseTypes[t]?.type) t = this.baseTypes[t]!.type!;
    return t;
  }

  public validate(event: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const c = typeof event.class_uid === 'number' ? this.classOf(event.class_uid) : undefined;
    if (!c) return [`class_uid: ${JSON.stringify(event.class_uid)} names no OCSF 1.1.0 class`];
    if (event.category_uid !== this.categoryUid(c))
      problems.push(`category_uid: ${JSON.stringify(event.category_uid)} is not ${this.categoryUid(c)} (${c.name})`);
    if (event.type_uid !== this.classUid(c) * 100 + Number(event.activity_id))
      problems.push(`type_uid: ${JSON.stringify(event.type_uid)} is not class_uid x 100 + activity_id`);
    const metadata = event.metadata as { profiles?: unknown } | undefined;
    const profiles = new Set(Array.isArray(metadata?.profiles) ? (metadata.profiles as string[]) : []);
    // class_uid, category_uid and type_uid are checked above; their include-level enums list only 0.
    const attributes = { ...c.attributes };
    for (const uid of ['class_uid', 'category_uid', 'type_uid']) attributes[uid] = { ...attributes[uid], enum: undefined } as AttributeSpec;
    this.validateObject(event, { name: c.name, attributes, ...(c.constraints ? { constraints: c.constraints } : {}) }, '', profiles, problems);
    return problems;
  }

  private validateObject(value: Record<string, unknown>, definition: Definition, path: string, profiles: ReadonlySet<string>, problems: string[]): void {
    const at = (key: string) => (path ? `${path}.${key}` : key);
    for (const [key, spec] of Object.entries(definition.attributes)) {
      const active = !spec.profile || profiles.has(spec.profile);
      if (spec.requirement === 'required' && active && value[key] === undefined) problems.push(`${at(key)}: required by ${definition.name} and missing`);
    }
    for (const [group, test] of [
      ['at_least_one', (n: number) => n >= 1],
      ['just_one', (n: number) => n === 1],
    ] as const) {
      const keys = definition.constraints?.[group];
      if (keys && !test(keys.filter((k) => value[k] !== undefined).length))
        problems.push(`${path || definition.name}: needs ${group.replace(/_/g, ' ')} of ${keys.join(', ')}`);
    }
    for (const [key, item] of Object.entries(value)) {
      const spec = definition.attributes[key];
      const dictionary = this.dictionary[key];
      if (!spec || !dictionary) {
        problems.push(`${at(key)}: not an attribute of ${definition.name}`);
        continue;
      }
      const values = dictionary.is_array ? (Array.isArray(item) ? item : (problems.push(`${at(key)}: must be an array`), [])) : [item];
      values.forEach((v, i) => this.validateValue(v, key, spec, dictionary, dictionary.is_array ? `${at(key)}[${i}]` : at(key), profiles, problems));
    }
  }

  private validateValue(
    value: unknown,
    key: string,
    spec: AttributeSpec,
    dictionary: DictionaryAttribute,
    path: string,
    profiles: ReadonlySet<string>,
    problems: string[],
  ): void {
    const enumeration = spec.enum ?? dictionary.enum;
    if (enumeration && !(String(value) in enumeration)) problems.push(`${path}: ${JSON.stringify(value)} is not a value of ${key}'s enum`);
    if (!dictionary.type.endsWith('_t')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`${path}: must be a ${dictionary.type} object`);
      if (dictionary.type === 'object') return;
      this.validateObject(value as Record<string, unknown>, this.resolve('object', dictionary.type), path, profiles, problems);
      return;
    }
    const base = this.baseType(dictionary.type);
    const ok =
      base === 'string_t'
        ? typeof value === 'string'
        : base === 'integer_t' || base === 'long_t' || base === 'timestamp_t' || base === 'port_t'
          ? Number.isInteger(value)
          : base === 'float_t'
            ? typeof value === 'number'
            : base === 'boolean_t'
              ? typeof value === 'boolean'
              : true;
    if (!ok) problems.push(`${path}: ${JSON.stringify(value)} is not a ${dictionary.type}`);
  }
}
