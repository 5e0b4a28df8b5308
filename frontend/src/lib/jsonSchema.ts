/**
 * A job schema (a JSON Schema of the job's payload) read for people: its fields as rows, and the
 * schema the payload form is generated from.
 */
import { isPlainObject } from './format';

/** Payload members the server writes itself (docs/api-design.md#jobs): never asked for. */
export const SERVER_FIELDS = ['id', 'job_type'] as const;
/** Filled in by the server when absent (6000 s). */
export const DEFAULTED_FIELDS = ['timeout'] as const;

export interface SchemaField {
  name: string;
  type: string;
  required: boolean;
  description: string;
  /** `default`, `enum`, `pattern`… in short. */
  constraints: string[];
  /** The server writes it (`id`, `job_type`) or defaults it (`timeout`). */
  server: 'writes' | 'defaults' | null;
}

function typeText(schema: Record<string, unknown>): string {
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (typeof type === 'string') {
    if (type === 'array' && isPlainObject(schema.items)) return `array of ${typeText(schema.items)}`;
    return type;
  }
  if (Array.isArray(schema.enum)) return 'one of';
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) if (Array.isArray(schema[key])) return key;
  if (typeof schema.$ref === 'string') return schema.$ref;
  return 'any';
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function constraintsOf(schema: Record<string, unknown>): string[] {
  const out: string[] = [];
  const items = isPlainObject(schema.items) ? schema.items : null;
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map(short).join(', ')}`);
  if (items && Array.isArray(items.enum)) out.push(`items one of ${items.enum.map(short).join(', ')}`);
  if (schema.default !== undefined) out.push(`default ${short(schema.default)}`);
  if (typeof schema.pattern === 'string') out.push(`pattern ${schema.pattern}`);
  if (items && typeof items.pattern === 'string') out.push(`items match ${items.pattern}`);
  if (typeof schema.format === 'string') out.push(`format ${schema.format}`);
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    if (typeof schema[key] === 'number') out.push(`${key} ${schema[key] as number}`);
  }
  return out;
}

/** The top-level fields of an object schema, in the schema's order, then required ones it does not describe. */
export function schemaFields(schema: unknown): SchemaField[] {
  if (!isPlainObject(schema)) return [];
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const names = [...Object.keys(properties), ...[...required].filter((r) => !(r in properties))];
  return names.map((name) => {
    const sub = isPlainObject(properties[name]) ? properties[name] : {};
    return {
      name,
      type: typeText(sub),
      required: required.has(name),
      description: typeof sub.description === 'string' ? sub.description : typeof sub.title === 'string' ? sub.title : '',
      constraints: constraintsOf(sub),
      server: (SERVER_FIELDS as readonly string[]).includes(name)
        ? 'writes'
        : (DEFAULTED_FIELDS as readonly string[]).includes(name)
          ? 'defaults'
          : null,
    };
  });
}

/**
 * The schema the payload form is generated from: the job schema without what the server
 * writes (`id`, `job_type` are neither shown nor required; `timeout` is optional, the server
 * defaults it) and without `$schema` (the form's validator knows draft 7 only and would refuse
 * another draft's URI; the server checks the payload against the full schema anyway).
 */
export function payloadFormSchema(schema: unknown): Record<string, unknown> {
  if (!isPlainObject(schema)) return { type: 'object', properties: {} };
  const copy: Record<string, unknown> = { ...schema };
  delete copy.$schema;
  if (copy.type === undefined && isPlainObject(copy.properties)) copy.type = 'object';
  if (isPlainObject(copy.properties)) {
    const properties = { ...copy.properties };
    for (const name of SERVER_FIELDS) delete properties[name];
    copy.properties = properties;
  }
  if (Array.isArray(copy.required)) {
    const skip = new Set<string>([...SERVER_FIELDS, ...DEFAULTED_FIELDS]);
    copy.required = copy.required.filter((r) => !(typeof r === 'string' && skip.has(r)));
  }
  return copy;
}

/** Whether the form has anything to ask (else the payload is `{}`). */
export function hasPayloadFields(formSchema: Record<string, unknown>): boolean {
  return (isPlainObject(formSchema.properties) && Object.keys(formSchema.properties).length > 0) || formSchema.additionalProperties === true;
}

const NUMBER_OR_WORD = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * The offset where `text` stops being JSON (-1 when it is JSON). Engines word their parse
 * errors differently, and most give no position, so the text is scanned here.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new RangeError(String(i));
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const string = () => {
    i += 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i += 1;
        return;
      }
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '"') return string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      space();
      if (text[i] === close) {
        i += 1;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i += 1;
        }
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === close) {
          i += 1;
          return;
        } else fail();
      }
    }
    NUMBER_OR_WORD.lastIndex = i;
    const match = NUMBER_OR_WORD.exec(text);
    if (!match) fail();
    i += match![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (error) {
    return error instanceof RangeError ? Number(error.message) : -1;
  }
}

/** JSON text parsed, or where and why it is not JSON ("Line 3, column 7: …"). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = jsonErrorOffset(text);
    if (at < 0) return { ok: false, message };
    const lines = text.slice(0, at).split('\n');
    return { ok: false, message: `Line ${lines.length}, column ${lines.at(-1)!.length + 1}: ${message.split('\n')[0]}` };
  }
}
