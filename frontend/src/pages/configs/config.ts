/**
 * Configuration reports (`aftconfigs/`): `report.data` holds, per robot index (`"0"`, `"1"`…),
 * the default configuration it runs (`conf_default`) and the overlay applied on top of it
 * (`overlay_diff`, as the harvester's diff tool writes it: `values_changed`,
 * `iterable_item_removed`…). A report is about a megabyte.
 */
import { isPlainObject } from '../../lib/format';

export interface ConfigIndex {
  /** The key in `report.data`. */
  key: string;
  label: string;
  confDefault: unknown;
  overlayDiff: unknown;
  /** Keys of the entry besides `conf_default` and `overlay_diff`. */
  other: Record<string, unknown>;
}

/** The robot indexes of a config report, in number order. */
export function configIndexes(report: unknown): ConfigIndex[] {
  const data = isPlainObject(report) ? report.data : undefined;
  if (!isPlainObject(data)) return [];
  return Object.keys(data)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((key) => {
      const entry = data[key];
      const { conf_default: confDefault, overlay_diff: overlayDiff, ...other } = isPlainObject(entry) ? entry : { conf_default: entry };
      return { key, label: /^\d+$/.test(key) ? `Robot index ${key}` : key, confDefault, overlayDiff, other };
    });
}

/** A path into a JSON value: object keys, and array indexes as numbers. */
export type JsonPath = Array<string | number>;

export interface Change {
  path: JsonPath;
  kind: 'added' | 'removed' | 'changed';
  /** The value in the first (older) report; absent when added. */
  before?: unknown;
  /** The value in the second (newer) report; absent when removed. */
  after?: unknown;
}

export interface Diff {
  /** The first `limit` changes, in document order. */
  changes: Change[];
  /** Every change found. */
  total: number;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `general.endpoints["autodrive.0"].path`, `workcells[0]`. */
export function formatPath(path: JsonPath): string {
  if (!path.length) return '(the whole value)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (IDENTIFIER.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function kindOf(value: unknown): 'array' | 'object' | 'other' {
  if (Array.isArray(value)) return 'array';
  return isPlainObject(value) ? 'object' : 'other';
}

/**
 * What changed from `before` to `after`: keys and items added, removed, and values changed
 * (objects and arrays are compared member by member, arrays by position; a value that changes
 * type is one change). Only the first `limit` changes are kept; all are counted.
 */
export function diffJson(before: unknown, after: unknown, limit = 2000): Diff {
  const changes: Change[] = [];
  let total = 0;
  const add = (change: Change) => {
    total += 1;
    if (changes.length < limit) changes.push(change);
  };
  const walk = (a: unknown, b: unknown, path: JsonPath) => {
    const ka = kindOf(a);
    const kb = kindOf(b);
    if (ka !== kb || ka === 'other') {
      if (!Object.is(a, b)) add({ path, kind: 'changed', before: a, after: b });
      return;
    }
    if (ka === 'array') {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const shared = Math.min(xa.length, xb.length);
      for (let i = 0; i < shared; i += 1) walk(xa[i], xb[i], [...path, i]);
      for (let i = shared; i < xa.length; i += 1) add({ path: [...path, i], kind: 'removed', before: xa[i] });
      for (let i = shared; i < xb.length; i += 1) add({ path: [...path, i], kind: 'added', after: xb[i] });
      return;
    }
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    for (const key of Object.keys(oa)) {
      if (Object.hasOwn(ob, key)) walk(oa[key], ob[key], [...path, key]);
      else add({ path: [...path, key], kind: 'removed', before: oa[key] });
    }
    for (const key of Object.keys(ob)) {
      if (!Object.hasOwn(oa, key)) add({ path: [...path, key], kind: 'added', after: ob[key] });
    }
  };
  walk(before, after, []);
  return { changes, total };
}

/** The configuration part of two reports compared: `report.data` of each. */
export function diffConfigReports(before: unknown, after: unknown, limit = 2000): Diff {
  const data = (r: unknown) => (isPlainObject(r) && isPlainObject(r.data) ? r.data : {});
  return diffJson(data(before), data(after), limit);
}

/** A value in one line, cut at `max` characters: `"fast"`, `{"a":1}`, `[3 items]`. */
export function preview(value: unknown, max = 120): string {
  if (value === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** How many changes of each kind. */
export function countKinds(changes: Change[]): Record<Change['kind'], number> {
  const out = { added: 0, removed: 0, changed: 0 };
  for (const c of changes) out[c.kind] += 1;
  return out;
}

export interface OverlayRow {
  /** `values_changed` → `value changed`. */
  kind: string;
  /** `general.workcells[0]` (from deepdiff's `root['general']['workcells'][0]`). */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** deepdiff's `root['a']['b'][0]` as `a.b[0]`; other text as it is. */
export function readablePath(path: string): string {
  if (!path.startsWith('root')) return path;
  const parts: JsonPath = [];
  const re = /\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+))\]/gy;
  re.lastIndex = 4;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[3] !== undefined) parts.push(Number(m[3]));
    else parts.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
    if (re.lastIndex === path.length) return formatPath(parts);
  }
  return path.length === 4 ? formatPath([]) : path;
}

const OVERLAY_KINDS: Record<string, string> = {
  values_changed: 'value changed',
  type_changes: 'type changed',
  dictionary_item_added: 'key added',
  dictionary_item_removed: 'key removed',
  iterable_item_added: 'item added',
  iterable_item_removed: 'item removed',
  set_item_added: 'item added',
  set_item_removed: 'item removed',
  attribute_added: 'attribute added',
  attribute_removed: 'attribute removed',
};

const ADDED = new Set(['dictionary_item_added', 'iterable_item_added', 'set_item_added', 'attribute_added']);

/**
 * The overlay of a robot index as rows (what it changes in the default configuration), when it
 * is in deepdiff's form (`{"values_changed": {"root['a']": {"old_value": 1, "new_value": 2}}, …}`);
 * null when it is not (the page then shows it as JSON).
 */
export function overlayRows(overlay: unknown): OverlayRow[] | null {
  if (!isPlainObject(overlay)) return null;
  const keys = Object.keys(overlay);
  if (!keys.length) return [];
  if (!keys.every((k) => k in OVERLAY_KINDS)) return null;
  const rows: OverlayRow[] = [];
  for (const key of keys) {
    const kind = OVERLAY_KINDS[key]!;
    const group = overlay[key];
    if (Array.isArray(group)) {
      // dictionary_item_added as a list of paths.
      for (const path of group) rows.push({ kind, path: readablePath(String(path)) });
    } else if (isPlainObject(group)) {
      for (const [path, value] of Object.entries(group)) {
        if ((key === 'values_changed' || key === 'type_changes') && isPlainObject(value)) {
          rows.push({ kind, path: readablePath(path), before: value.old_value, after: value.new_value });
        } else if (ADDED.has(key)) {
          rows.push({ kind, path: readablePath(path), after: value });
        } else {
          rows.push({ kind, path: readablePath(path), before: value });
        }
      }
    } else {
      return null;
    }
  }
  return rows;
}
